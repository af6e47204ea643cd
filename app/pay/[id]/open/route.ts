// POST /pay/{id}/open – a payment link opens a payment (lib/payment-links/links.ts).
import { handle, methods } from "@/lib/api/route";
import { openPaymentLink } from "@/lib/payment-links/links";
import { openLink } from "./open.types";

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  POST: handle(openLink, async ({ params, body, log }) => {
    const opened = await openPaymentLink(params.id, body.amount);
    log.info({ paymentLinkId: params.id, paymentId: opened.paymentId }, "payment link opened");
    return { body: opened };
  }),
});
