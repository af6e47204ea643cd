// POST /v1/events/{id}/redeliver – send an event again now
import { handle, methods } from "@/lib/api/route";
import { redeliver } from "@/lib/webhooks/events";
import { redeliverEvent } from "./redeliver.types";

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  POST: handle(redeliverEvent, async ({ principal, params, body }) => {
    return { body: { data: await redeliver(principal, params.id, body.endpointId) } };
  }),
});
