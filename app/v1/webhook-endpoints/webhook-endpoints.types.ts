import { z } from "zod";
import { defineEndpoint } from "@/lib/api/endpoint";
import { eventsInput, listQuery, webhookEndpointSchema, webhookUrl } from "@/lib/webhooks/schemas";

export const createWebhookEndpoint = defineEndpoint({
  method: "POST",
  path: "/v1/webhook-endpoints",
  tag: "Webhooks",
  summary: "Create a webhook endpoint",
  description: "Registers a URL that receives signed events (Standard Webhooks) of the key's mode. The response holds the signing `secret` in full; later views mask it.",
  auth: "key",
  status: 201,
  body: z.strictObject({
    url: webhookUrl,
    events: eventsInput.optional(),
    description: z.string().trim().max(500).nullish(),
  }),
  response: webhookEndpointSchema,
});

export const listWebhookEndpoints = defineEndpoint({
  method: "GET",
  path: "/v1/webhook-endpoints",
  tag: "Webhooks",
  summary: "List webhook endpoints",
  description: "The key's webhook endpoints in its mode, newest first.",
  auth: "key",
  query: z.strictObject(listQuery),
  response: z.object({ data: z.array(webhookEndpointSchema), hasMore: z.boolean() }),
});
