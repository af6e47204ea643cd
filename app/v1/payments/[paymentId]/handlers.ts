// Handlers shared by /v1/payments/{paymentId} and seed 004's /api/v1/payments/{paymentId}.
import { errors } from "@/lib/api/errors";
import { handle } from "@/lib/api/route";
import { loadPayment } from "@/lib/payments/load";
import { serializePayment } from "@/lib/payments/serialize";
import { submitPayment as submit } from "@/lib/payments/submit";
import { getPayment, submitPayment, submitPaymentSeed } from "./payment.types";

export const getHandler = handle(getPayment, async ({ principal, params }) => {
  const loaded = await loadPayment(principal, params.paymentId);
  if (!loaded) throw errors.notFound("payment", "paymentId");
  return { body: { paymentInfo: serializePayment(loaded) } };
});

function patch(endpoint: typeof submitPayment | typeof submitPaymentSeed) {
  return handle(endpoint, async ({ principal, params, body, log }) => {
    const loaded = await submit(principal, params.paymentId, body);
    log.info({ paymentId: loaded.payment.id, depositCurrency: loaded.payment.depositCurrency, network: loaded.payment.expectedNetwork }, "payment submitted");
    return { body: { paymentInfo: serializePayment(loaded) } };
  });
}

export const patchHandler = patch(submitPayment);
export const patchSeedHandler = patch(submitPaymentSeed);
