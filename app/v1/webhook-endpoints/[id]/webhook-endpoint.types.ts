import { z } from "zod";
import { defineEndpoint } from "@/lib/api/endpoint";
import { eventsInput, webhookEndpointSchema, webhookUrl } from "@/lib/webhooks/schemas";

export const getWebhookEndpoint = defineEndpoint({
  method: "GET",
  path: "/v1/webhook-endpoints/{id}",
  tag: "Webhooks",
  summary: "Get a webhook endpoint",
  auth: "key",
  response: webhookEndpointSchema,
});

export const updateWebhookEndpoint = defineEndpoint({
  method: "PATCH",
  path: "/v1/webhook-endpoints/{id}",
  tag: "Webhooks",
  summary: "Update a webhook endpoint",
  description: "Changes the URL, the event types, the description, or enables/disables the endpoint. Re-enabling an endpoint that was disabled after failures clears its failure record.",
  auth: "key",
  body: z.strictObject({
    url: webhookUrl.optional(),
    events: eventsInput.optional(),
    enabled: z.boolean().optional(),
    description: z.string().trim().max(500).nullish(),
  }),
  response: webhookEndpointSchema,
});

export const deleteWebhookEndpoint = defineEndpoint({
  method: "DELETE",
  path: "/v1/webhook-endpoints/{id}",
  tag: "Webhooks",
  summary: "Delete a webhook endpoint",
  description: "Deletes the endpoint and its delivery log; pending deliveries are dropped.",
  auth: "key",
  response: z.object({ id: z.string(), object: z.literal("webhook_endpoint"), deleted: z.literal(true) }),
});
