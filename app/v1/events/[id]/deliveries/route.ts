// GET /v1/events/{id}/deliveries – where an event went and every attempt
import { handle, methods } from "@/lib/api/route";
import { eventDeliveries } from "@/lib/webhooks/events";
import { listEventDeliveries } from "./deliveries.types";

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  GET: handle(listEventDeliveries, async ({ principal, params }) => {
    return { body: { data: await eventDeliveries(principal, params.id) } };
  }),
});
