// POST /v1/webhook-endpoints/{id}/test – deliver a webhook.test event to this endpoint
import { handle, methods } from "@/lib/api/route";
import { sendTestEvent } from "@/lib/webhooks/events";
import { eventObject } from "@/lib/webhooks/payload";
import { testWebhookEndpoint } from "./test.types";

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  POST: handle(testWebhookEndpoint, async ({ principal, params }) => {
    const { event, delivery } = await sendTestEvent(principal, params.id);
    return { body: { event: eventObject(event), delivery } };
  }),
});
