"use client";
// A session's exception (underpaid, overpaid, paid late, mixed, blocked) and what the merchant can
// do about it: accept an underpaid session, retry a failed settlement, refund what a finished one
// left on its receiver. Each button is one server action (lib/checkout/actions); the page refreshes
// with the result, a failure is shown in place.
import { startTransition, useActionState, useState, type FormEvent } from "react";
import { FormError } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { describedBy, Field, inputClass } from "@/components/ui/field";
import { Toast } from "@/components/ui/toast";

export type CheckoutActionState = { error?: string; done?: string };
export type CheckoutExceptionAction = (prev: CheckoutActionState, data: FormData) => Promise<CheckoutActionState>;

export type ExceptionView = {
  checkoutId: string;
  exception: "underpaid" | "overpaid" | "paid_late" | "mixed" | "blocked" | null;
  accept: boolean;
  retry: boolean;
  /** what a refund can send back: network, asset and amount (display text) */
  refund: { network: string; networkLabel: string; asset: string; assetCode: string; amount: string; suggestedAddress: string | null }[];
  /** what stopped settlement, when it is stuck */
  blockedReasons: string[];
};

const EXPLAIN: Record<NonNullable<ExceptionView["exception"]>, { title: string; text: string }> = {
  underpaid: { title: "Underpaid", text: "Less than the amount due was paid. Accept it as paid, or refund what came once the session is finished." },
  overpaid: { title: "Overpaid", text: "More than the amount due was paid; all of it was delivered to you." },
  paid_late: { title: "Paid late", text: "A payment arrived after the session expired or finished. It is recorded and stays on the receiver until you refund it." },
  mixed: { title: "Paid on several networks", text: "The payer paid in parts on different networks or in different stablecoins; each part settles on its own chain." },
  blocked: { title: "Blocked", text: "You blocked this payment. Funds it received stay on the receiver for you to refund." },
};

/** disabledReason: the signed-in user's role may not act on payments (lib/team/roles.ts): the situation is explained, the actions not offered */
export function ExceptionPanel({ view, action, kind = "session", disabledReason }: { view: ExceptionView; action: CheckoutExceptionAction; kind?: "session" | "payment"; disabledReason?: string | null }) {
  const [state, dispatch, pending] = useActionState<CheckoutActionState, FormData>(action, {});
  const [refunding, setRefunding] = useState(false);
  const hasActions = view.accept || view.retry || view.refund.length > 0;
  if (!view.exception && !hasActions && view.blockedReasons.length === 0) return null;

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    startTransition(() => dispatch(data));
  }
  // a session still waiting for the rest has no exception yet, but can be accepted as it is
  const explain = view.exception ? EXPLAIN[view.exception]
    : view.accept ? { title: "Partly paid", text: `Part of the amount due has arrived. The payer can still pay the rest until the ${kind} expires, or you can accept what came as paid.` }
    : null;
  // a holding is (network, asset): a checkout may hold two assets on one network
  const holdingKey = (h: { network: string; assetCode: string }) => `${h.network}|${h.assetCode}`;
  const [refundHolding, setRefundHolding] = useState(view.refund[0] ? holdingKey(view.refund[0]) : undefined);
  const chosen = view.refund.find((h) => holdingKey(h) === refundHolding) ?? view.refund[0];
  const suggested = chosen?.suggestedAddress ?? "";

  return (
    <section aria-labelledby="exception-title" className="mb-6 rounded-xl bg-amber-50 px-5 py-4 ring-1 ring-amber-200" data-testid="exception-panel">
      <h2 id="exception-title" className="text-sm font-semibold text-amber-900">{explain ? explain.title : "Needs attention"}</h2>
      {explain && <p className="mt-1 text-sm text-amber-900/80">{explain.text}</p>}
      {view.blockedReasons.length > 0 && (
        <ul className="mt-2 list-disc space-y-1 pl-5 text-sm text-amber-900">
          {view.blockedReasons.map((r) => <li key={r}>{r}</li>)}
        </ul>
      )}
      {state.error && <div className="mt-3"><FormError>{state.error}</FormError></div>}
      {hasActions && disabledReason && <p className="mt-3 text-sm text-amber-900" data-testid="exception-actions-denied">{disabledReason}</p>}
      {hasActions && !disabledReason && (
        <div className="mt-3 flex flex-col gap-2 sm:flex-row sm:flex-wrap">
          {view.accept && (
            <form onSubmit={submit}>
              <input type="hidden" name="checkoutId" value={view.checkoutId} />
              <input type="hidden" name="kind" value="accept" />
              <Button type="submit" variant="secondary" pending={pending} pendingLabel="Accepting…" className="w-full sm:w-auto">Accept as paid</Button>
            </form>
          )}
          {view.retry && (
            <form onSubmit={submit}>
              <input type="hidden" name="checkoutId" value={view.checkoutId} />
              <input type="hidden" name="kind" value="retry" />
              <Button type="submit" variant="secondary" pending={pending} pendingLabel="Retrying…" className="w-full sm:w-auto">Retry settlement</Button>
            </form>
          )}
          {view.refund.length > 0 && !refunding && (
            <Button variant="secondary" onClick={() => setRefunding(true)} className="w-full sm:w-auto">Refund…</Button>
          )}
        </div>
      )}
      {refunding && !disabledReason && view.refund.length > 0 && (
        <form onSubmit={submit} className="mt-4 space-y-3 rounded-lg bg-white p-4 ring-1 ring-amber-200" aria-label="Refund">
          <input type="hidden" name="checkoutId" value={view.checkoutId} />
          <input type="hidden" name="kind" value="refund" />
          <p className="text-sm text-zinc-700">
            On the receiver: {view.refund.map((h) => `${h.amount} ${h.asset} on ${h.networkLabel}`).join(", ")}.
          </p>
          {view.refund.length > 1 && (
            <Field id="refund-network" label="Funds to refund">
              <select id="refund-network" className={inputClass} required value={refundHolding} onChange={(e) => setRefundHolding(e.target.value)}>
                {view.refund.map((h) => <option key={holdingKey(h)} value={holdingKey(h)}>{h.amount} {h.asset} on {h.networkLabel}</option>)}
              </select>
            </Field>
          )}
          {chosen && <><input type="hidden" name="network" value={chosen.network} /><input type="hidden" name="asset" value={chosen.assetCode} /></>}
          <Field id="refund-address" label="Send to address" hint={suggested ? "Filled in with the checkout's refund address or the payer's; check it before you send." : "An address on the same network as the funds; usually the payer's."}>
            <input key={refundHolding} id="refund-address" name="address" required autoComplete="off" spellCheck={false} defaultValue={suggested} className={`${inputClass} font-mono`}
              aria-describedby={describedBy("refund-address", true, null)} />
          </Field>
          <Field id="refund-amount" label="Amount (optional)" hint="Leave empty to refund all of it.">
            <input id="refund-amount" name="amountUnits" inputMode="decimal" autoComplete="off" className={inputClass}
              aria-describedby={describedBy("refund-amount", true, null)} />
          </Field>
          <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
            <Button variant="secondary" onClick={() => setRefunding(false)} disabled={pending}>Cancel</Button>
            <Button type="submit" pending={pending} pendingLabel="Queuing refund…">Send refund</Button>
          </div>
        </form>
      )}
      <Toast message={state.done ?? null} />
    </section>
  );
}
