// GET /v1/webhook-endpoints – list · POST /v1/webhook-endpoints – create (returns the secret once)
import { handle, methods } from "@/lib/api/route";
import { createEndpoint, endpointView, listEndpoints } from "@/lib/webhooks/endpoints";
import { createWebhookEndpoint, listWebhookEndpoints } from "./webhook-endpoints.types";

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  POST: handle(createWebhookEndpoint, async ({ principal, body, log }) => {
    const row = await createEndpoint(principal, body);
    log.info({ endpointId: row.id, livemode: row.livemode }, "webhook endpoint created");
    return { status: 201, body: endpointView(row, { revealSecret: true }) };
  }),
  GET: handle(listWebhookEndpoints, async ({ principal, query }) => {
    const { rows, hasMore } = await listEndpoints(principal, query);
    return { body: { data: rows.map((r) => endpointView(r)), hasMore } };
  }),
});
