// POST /v1/sessions/{id}/retry – the merchant retries a session's failed settlement
import { handle, methods } from "@/lib/api/route";
import { retryCheckout } from "@/lib/checkout/actions";
import { db } from "@/lib/db/client";
import { sessionView } from "@/lib/sessions/serialize";
import { retrySession } from "./retry.types";

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  POST: handle(retrySession, async ({ principal, params, log }) => {
    const row = await retryCheckout(principal, "session", params.id);
    log.info({ sessionId: row.id }, "settlement retried");
    return { body: { session: await sessionView(db(), row, "full") } };
  }),
});
