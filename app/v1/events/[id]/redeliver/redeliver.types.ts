import { z } from "zod";
import { defineEndpoint } from "@/lib/api/endpoint";
import { deliverySchema } from "@/lib/webhooks/schemas";

export const redeliverEvent = defineEndpoint({
  method: "POST",
  path: "/v1/events/{id}/redeliver",
  tag: "Events",
  summary: "Redeliver an event",
  description: "Sends the event again now, to `endpointId` (also one that did not receive it) or to every target it was delivered to. " +
    "The delivery keeps its id, so the `webhook-id` header is unchanged and receivers can deduplicate; a failed redelivery retries on the usual schedule.",
  auth: "key",
  body: z.strictObject({ endpointId: z.string().max(100).optional() }),
  response: z.object({ data: z.array(deliverySchema) }),
});
