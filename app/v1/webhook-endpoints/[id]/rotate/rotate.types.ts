import { z } from "zod";
import { defineEndpoint } from "@/lib/api/endpoint";
import { webhookEndpointSchema } from "@/lib/webhooks/schemas";

export const rotateWebhookSecret = defineEndpoint({
  method: "POST",
  path: "/v1/webhook-endpoints/{id}/rotate",
  tag: "Webhooks",
  summary: "Rotate the signing secret",
  description: "Returns the endpoint with a new `secret` in full. For 24 hours every delivery carries two `v1,` signatures, one per secret, so receivers can switch without losing events.",
  auth: "key",
  body: z.strictObject({}),
  response: webhookEndpointSchema,
});
