// zod schemas of the webhook objects, shared by the endpoint types (and so the OpenAPI document).
import { z } from "zod";
import { httpUrlInput } from "@/lib/api/inputs";
import { ALL_EVENTS, EVENT_TYPES } from "./event-types";

export const webhookUrl = httpUrlInput
  .meta({ description: "http(s). In live mode it must not name or resolve to a private, loopback or link-local address.", example: "https://example.com/webhooks/tollgate" });

export const eventTypeInput = z.enum([ALL_EVENTS, ...EVENT_TYPES]);
export const eventsInput = z.array(eventTypeInput).max(50)
  .meta({ description: "event types to receive; `[\"*\"]` (the default) is all", example: ["session.succeeded", "session.expired"] });

export const webhookEndpointSchema = z.object({
  id: z.string().meta({ example: "we_3kTq8Z2mXc1bV9nL0pQr7sYw" }),
  object: z.literal("webhook_endpoint"),
  url: z.string(),
  description: z.string().nullable(),
  events: z.array(z.string()),
  enabled: z.boolean(),
  disabledReason: z.string().nullable().meta({ description: "set when Tollgate disabled the endpoint after 3 days of failures" }),
  disabledAt: z.number().int().nullable(),
  secret: z.string().meta({ description: "`whsec_…`; in full only in the responses of create and rotate, masked elsewhere" }),
  livemode: z.boolean(),
  createdAt: z.number().int(),
}).meta({ id: "WebhookEndpoint" });

export const eventSchema = z.object({
  id: z.string().meta({ example: "evt_4fGh7Jk2LmN9pQ1rS3tU5vW8" }),
  type: z.string().meta({ example: "session.succeeded" }),
  createdAt: z.number().int(),
  livemode: z.boolean(),
  data: z.object({ object: z.unknown().meta({ description: "the full API object as it was when the event happened" }) }),
}).meta({ id: "Event" });

export const attemptSchema = z.object({
  id: z.string(),
  createdAt: z.number().int(),
  url: z.string(),
  requestHeaders: z.record(z.string(), z.string()),
  statusCode: z.number().int().nullable(),
  latencyMs: z.number().int(),
  responseBody: z.string().nullable().meta({ description: "the first KB of the response body" }),
  error: z.string().nullable(),
  outcome: z.enum(["succeeded", "retry", "failed"]),
  manual: z.boolean(),
}).meta({ id: "WebhookAttempt" });

export const deliverySchema = z.object({
  id: z.string().meta({ description: "the `webhook-id` header of every attempt", example: "msg_9f8e7d6c5b4a39281706f5e4d3c2b1a0" }),
  object: z.literal("webhook_delivery"),
  eventId: z.string(),
  endpointId: z.string().nullable(),
  url: z.string(),
  status: z.enum(["pending", "succeeded", "failed"]),
  attemptCount: z.number().int(),
  lastStatusCode: z.number().int().nullable(),
  nextAttemptAt: z.number().int().nullable(),
  lastAttemptAt: z.number().int().nullable(),
  createdAt: z.number().int(),
  attempts: z.array(attemptSchema),
}).meta({ id: "WebhookDelivery" });

export const listQuery = {
  limit: z.coerce.number().int().min(1).max(100).default(20).meta({ description: "1–100, default 20" }),
  startingAfter: z.string().optional().meta({ description: "an id from the previous page: return the objects created before it" }),
};
