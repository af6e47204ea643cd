// GET/PATCH/DELETE /v1/webhook-endpoints/{id} – read, change, remove one endpoint
import { handle, methods } from "@/lib/api/route";
import { deleteEndpoint, endpointView, getEndpoint, updateEndpoint } from "@/lib/webhooks/endpoints";
import { deleteWebhookEndpoint, getWebhookEndpoint, updateWebhookEndpoint } from "./webhook-endpoint.types";

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  GET: handle(getWebhookEndpoint, async ({ principal, params }) => {
    return { body: endpointView(await getEndpoint(principal, params.id)) };
  }),
  PATCH: handle(updateWebhookEndpoint, async ({ principal, params, body }) => {
    return { body: endpointView(await updateEndpoint(principal, params.id, body)) };
  }),
  DELETE: handle(deleteWebhookEndpoint, async ({ principal, params }) => {
    await deleteEndpoint(principal, params.id);
    return { body: { id: params.id, object: "webhook_endpoint" as const, deleted: true as const } };
  }),
});
