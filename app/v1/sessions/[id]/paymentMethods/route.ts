// POST /v1/sessions/{id}/paymentMethods – choose how the payer pays (key or clientSecret)
import { handle, methods } from "@/lib/api/route";
import { db } from "@/lib/db/client";
import { choosePaymentMethod as choose } from "@/lib/sessions/choose-payment-method";
import { resolveSessionClientSecret } from "@/lib/sessions/client-secret";
import { sessionView } from "@/lib/sessions/serialize";
import { choosePaymentMethod } from "./payment-methods.types";

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  POST: handle(choosePaymentMethod, async ({ principal, params, body, log }) => {
    const { session, receiver, solana } = await choose(principal, params.id, body.paymentMethod);
    log.info({ sessionId: session.id, type: session.paymentMethodType, receiver: session.paymentMethodReceiverAddress ?? solana?.reference }, "payment method chosen");
    const view = await sessionView(db(), session, principal.kind === "key" ? "full" : "public");
    // the API always names the wallet, so a Solana answer always carries the transaction
    const tx = solana?.serializedTx;
    return {
      body: {
        session: view,
        // a receiver method answers under its own type's name (API.md §1: `tron: {receiverAddress, expiresAt}`)
        ...(receiver ? { [receiver.type]: { receiverAddress: receiver.receiverAddress, expiresAt: Math.floor(receiver.expiresAt.getTime() / 1000), ...receiver.quote } } : {}),
        ...(solana && tx ? { solana: { ...solana, serializedTx: tx } } : {}),
      },
    };
  }, { resolveClientSecret: resolveSessionClientSecret }),
});
