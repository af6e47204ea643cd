import { z } from "zod";
import { defineEndpoint } from "@/lib/api/endpoint";
import { eventSchema, listQuery } from "@/lib/webhooks/schemas";

export const listEvents = defineEndpoint({
  method: "GET",
  path: "/v1/events",
  tag: "Events",
  summary: "List events",
  description: "The key's events in its mode, newest first, optionally of one `type`.",
  auth: "key",
  query: z.strictObject({ type: z.string().max(100).optional().meta({ example: "session.succeeded" }), ...listQuery }),
  response: z.object({ data: z.array(eventSchema), hasMore: z.boolean() }),
});
