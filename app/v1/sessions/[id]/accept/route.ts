// POST /v1/sessions/{id}/accept – the merchant accepts an underpaid session as paid
import { handle, methods } from "@/lib/api/route";
import { acceptCheckout } from "@/lib/checkout/actions";
import { db } from "@/lib/db/client";
import { sessionView } from "@/lib/sessions/serialize";
import { acceptSession } from "./accept.types";

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  POST: handle(acceptSession, async ({ principal, params, log }) => {
    const row = await acceptCheckout(principal, "session", params.id);
    log.info({ sessionId: row.id, status: row.status }, "underpaid session accepted");
    return { body: { session: await sessionView(db(), row, "full") } };
  }),
});
