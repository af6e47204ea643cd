// GET /v1/events – the key's events, newest first
import { handle, methods } from "@/lib/api/route";
import { listEvents as list } from "@/lib/webhooks/events";
import { listEvents } from "./events.types";

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  GET: handle(listEvents, async ({ principal, query }) => {
    return { body: await list(principal, query) };
  }),
});
