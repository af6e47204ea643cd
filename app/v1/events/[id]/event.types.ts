import { defineEndpoint } from "@/lib/api/endpoint";
import { eventSchema } from "@/lib/webhooks/schemas";

export const getEvent = defineEndpoint({
  method: "GET",
  path: "/v1/events/{id}",
  tag: "Events",
  summary: "Get an event",
  description: "The event exactly as webhooks deliver it.",
  auth: "key",
  response: eventSchema,
});
