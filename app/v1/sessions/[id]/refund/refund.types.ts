import { z } from "zod";
import { defineEndpoint } from "@/lib/api/endpoint";
import { refundBody, refundView } from "@/lib/checkout/action-schemas";
import { sessionSchema } from "@/lib/sessions/schemas";

export const refundSession = defineEndpoint({
  method: "POST",
  path: "/v1/sessions/{id}/refund",
  tag: "Sessions",
  summary: "Refund what a session left on its deposit address",
  description: "Sends funds of a finished session that were not delivered — paid late, short (expired), in an asset that does not count — " +
    "back to `address` (all of it, or `amountUnits`). The network's runner signs and stores the transaction before broadcasting it; " +
    "`session.refund_requested`, then `session.refunded` or `session.refund_failed`. 409 while the session is open or when nothing is left.",
  auth: "key",
  body: refundBody,
  response: z.object({ session: sessionSchema, refund: refundView }),
});
