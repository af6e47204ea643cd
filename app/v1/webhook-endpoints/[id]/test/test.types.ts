import { z } from "zod";
import { defineEndpoint } from "@/lib/api/endpoint";
import { deliverySchema, eventSchema } from "@/lib/webhooks/schemas";

export const testWebhookEndpoint = defineEndpoint({
  method: "POST",
  path: "/v1/webhook-endpoints/{id}/test",
  tag: "Webhooks",
  summary: "Send a test event",
  description: "Creates a `webhook.test` event (its object is the endpoint, secret masked) and delivers it to this endpoint only, signed like every event.",
  auth: "key",
  body: z.strictObject({}),
  response: z.object({ event: eventSchema, delivery: deliverySchema }),
});
