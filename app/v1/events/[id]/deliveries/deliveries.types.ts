import { z } from "zod";
import { defineEndpoint } from "@/lib/api/endpoint";
import { deliverySchema } from "@/lib/webhooks/schemas";

export const listEventDeliveries = defineEndpoint({
  method: "GET",
  path: "/v1/events/{id}/deliveries",
  tag: "Events",
  summary: "List an event's deliveries",
  description: "One delivery per target (its id is the `webhook-id` header), each with every attempt: status code, latency, the first KB of the response, the error.",
  auth: "key",
  response: z.object({ data: z.array(deliverySchema) }),
});
