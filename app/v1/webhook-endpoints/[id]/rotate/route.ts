// POST /v1/webhook-endpoints/{id}/rotate – new signing secret, the old one signs for 24 h more
import { handle, methods } from "@/lib/api/route";
import { endpointView, rotateSecret } from "@/lib/webhooks/endpoints";
import { rotateWebhookSecret } from "./rotate.types";

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  POST: handle(rotateWebhookSecret, async ({ principal, params, log }) => {
    const row = await rotateSecret(principal, params.id);
    log.info({ endpointId: row.id }, "webhook secret rotated");
    return { body: endpointView(row, { revealSecret: true }) };
  }),
});
