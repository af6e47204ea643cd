// GET /v1/events/{id} – one event, as delivered
import { handle, methods } from "@/lib/api/route";
import { getEvent as get } from "@/lib/webhooks/events";
import { eventObject } from "@/lib/webhooks/payload";
import { getEvent } from "./event.types";

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  GET: handle(getEvent, async ({ principal, params }) => {
    return { body: eventObject(await get(principal, params.id)) };
  }),
});
