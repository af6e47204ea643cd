// POST /v1/sessions/{id}/refund – the merchant refunds what a finished session left on its receiver
import { handle, methods } from "@/lib/api/route";
import { refundCheckout, serializeRefund } from "@/lib/checkout/actions";
import { db } from "@/lib/db/client";
import { sessionView } from "@/lib/sessions/serialize";
import { refundSession } from "./refund.types";

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  POST: handle(refundSession, async ({ principal, params, body, log }) => {
    const { checkout, action } = await refundCheckout(principal, "session", params.id, body);
    log.info({ sessionId: checkout.id, refundId: action.id, network: action.network }, "refund requested");
    return { body: { session: await sessionView(db(), checkout, "full"), refund: serializeRefund(action) } };
  }),
});
