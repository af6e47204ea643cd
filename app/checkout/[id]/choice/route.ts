// GET/POST /checkout/{id}/choice – the hosted payment page choosing its deposit currency
// (lib/payments/payer-choice.ts).
import { errors } from "@/lib/api/errors";
import { handle, methods } from "@/lib/api/route";
import { payerView as view, submitPayerChoice } from "@/lib/payments/payer-choice";
import { payerView, submitChoice } from "./choice.types";

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  GET: handle(payerView, async ({ params, query }) => {
    const { depositCurrency, network } = query;
    if ((depositCurrency === undefined) !== (network === undefined)) {
      throw errors.validation("Give both depositCurrency and network, or neither.", depositCurrency === undefined ? "depositCurrency" : "network");
    }
    const body = await view(params.id, depositCurrency && network ? { depositCurrency, network } : undefined);
    return { body };
  }),
  POST: handle(submitChoice, async ({ params, body, log }) => {
    const state = await submitPayerChoice(params.id, body);
    log.info({ paymentId: params.id, depositCurrency: body.depositCurrency, network: body.network, state }, "payer chose the deposit currency");
    return { body: { state } };
  }),
});
