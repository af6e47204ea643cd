"use client";
// New withdrawal with a confirmation step: fill in, review what will be sent, then confirm. The
// review is refused here when the amount is above what the merchant has available (the page
// passes it) and on the server (checkWithdrawalAction) for the balance as it is now and for the
// destination (format, and burn / token contract / the instance's own addresses); queueing can
// still lose a race with another withdrawal: that answer comes back on the confirmation step.
import { useState, useTransition } from "react";
import { checkWithdrawalAction, createWithdrawalAction, type WithdrawalActionState, type WithdrawalField } from "@/app/dashboard/withdrawals/actions";
import { FormError } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { describedBy, Field, inputClass } from "@/components/ui/field";
import { useActionForm } from "@/components/ui/use-action-form";
import { formatAmount, formatDecimal } from "@/lib/money/format";
import { AmountError, formatUnits, parseUnits } from "@/lib/money/units";

export type CurrencyOption = {
  code: string; label: string; family: string; decimals: number;
  /** the asset's display name ("USDC" for eUSDC) */
  symbol: string;
  /** what the merchant has available, base units */
  available: string;
};

/** What an address of the currency's network looks like. */
const PLACEHOLDER: Record<string, string> = { evm: "0x…", tron: "T…" };

type Draft = { currency: string; amount: string; destination: string; comment: string; queryId: string };

/** disabledReason: the signed-in user's role may not withdraw (lib/team/roles.ts): the form is shown disabled and says why */
export function WithdrawalForm({ mode, currencies, disabledReason }: { mode: "test" | "live"; currencies: CurrencyOption[]; disabledReason?: string | null }) {
  const [draft, setDraft] = useState<Draft | null>(null);
  const [values, setValues] = useState({ currency: currencies[0]?.code ?? "", amount: "", destination: "", comment: "" });
  const [errors, setErrors] = useState<Partial<Record<WithdrawalField, string>>>({});
  // what the server said is available after a refused confirmation (fresher than the page's)
  const [fresh, setFresh] = useState<Record<string, string>>({});
  const [checking, startCheck] = useTransition();
  const { state, onSubmit, pending } = useActionForm<WithdrawalActionState>(async (prev, data) => {
    const out = await createWithdrawalAction(prev, data);
    if (out.ok) {
      // the page re-renders with the balance after the reservation: its figure wins again
      setFresh({});
      setDraft(null);
      setValues((v) => ({ ...v, amount: "", destination: "", comment: "" }));
    }
    if (out.available !== undefined && draft) {
      // refused for a balance that changed meanwhile: back to the form, the amount marked, the new available shown
      setFresh((f) => ({ ...f, [draft.currency]: out.available! }));
      setErrors({ amount: out.error });
      setDraft(null);
      return {};
    }
    return out;
  }, {});

  if (currencies.length === 0) return <p className="text-sm text-zinc-500">No currency is enabled for withdrawals in this mode.</p>;

  const current = currencies.find((c) => c.code === values.currency) ?? currencies[0];
  const available = BigInt(fresh[current.code] ?? current.available);
  const availableText = formatAmount(available, { decimals: current.decimals, symbol: current.symbol }, { symbol: true });

  if (draft) {
    return (
      <form onSubmit={onSubmit} className="space-y-4" aria-labelledby="confirm-title">
        <h3 id="confirm-title" className="text-sm font-semibold text-zinc-900">Confirm the withdrawal</h3>
        <dl className="grid grid-cols-[5.5rem_minmax(0,1fr)] gap-y-1 text-sm sm:grid-cols-[8rem_minmax(0,1fr)]">
          <dt className="text-zinc-500">Amount</dt><dd className="font-medium break-words text-zinc-900" data-testid="confirm-amount">{formatDecimal(draft.amount)} {currencies.find((c) => c.code === draft.currency)?.symbol ?? draft.currency}</dd>
          <dt className="text-zinc-500">To</dt><dd className="font-mono text-xs break-all text-zinc-900" data-testid="confirm-destination">{draft.destination}</dd>
          {draft.comment && (<><dt className="text-zinc-500">Comment</dt><dd className="break-words">{draft.comment}</dd></>)}
        </dl>
        <p className="text-xs text-zinc-500">Reserved from your available balance now and sent from the hot wallet once the network is synced; on-chain transfers cannot be undone.</p>
        {Object.entries({ ...draft, mode }).map(([k, v]) => <input key={k} type="hidden" name={k} value={v} />)}
        {state.error && <FormError>{state.error}</FormError>}
        <div className="flex flex-wrap gap-2">
          <Button type="submit" pending={pending} pendingLabel="Sending…">Confirm and send</Button>
          <Button variant="secondary" onClick={() => setDraft(null)} disabled={pending}>Back</Button>
        </div>
      </form>
    );
  }

  function review(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const local: Partial<Record<WithdrawalField, string>> = {};
    try {
      const units = parseUnits(values.amount.trim(), current.decimals);
      if (units <= 0n) local.amount = "Enter an amount above zero.";
      else if (units > available) local.amount = available === 0n ? `You have no ${current.symbol} available to withdraw.` : `More than you have available: ${availableText}.`;
    } catch (err) {
      local.amount = err instanceof AmountError && err.reason === "precision" ? `${current.symbol} has at most ${current.decimals} decimal places.` : "Enter an amount like 12.5.";
    }
    if (!values.destination) local.destination = "Enter the address to send to.";
    if (Object.keys(local).length > 0) return setErrors(local);
    startCheck(async () => {
      const r = await checkWithdrawalAction({ mode, currency: values.currency, amount: values.amount.trim(), destination: values.destination });
      if (r.errors) {
        setErrors(r.errors);
        return;
      }
      setErrors({});
      setFresh((f) => ({ ...f, [r.ok!.currency]: r.ok!.available }));
      setDraft({ ...values, amount: r.ok!.amount, destination: r.ok!.destination, queryId: crypto.randomUUID() });
    });
  }

  const amountHint = <>Available: <span data-testid="available-amount" className="font-medium text-zinc-700">{availableText}</span></>;
  return (
    <form className="space-y-4" onSubmit={review} noValidate>
      {state.ok && <p role="status" className="rounded-lg bg-emerald-50 px-3 py-2 text-sm text-emerald-800">{state.ok}</p>}
      {errors.currency && <FormError>{errors.currency}</FormError>}
      <div className="grid gap-4 sm:grid-cols-2">
        <Field id="w-currency" label="Currency">
          <select id="w-currency" className={inputClass} value={values.currency} onChange={(e) => { setValues({ ...values, currency: e.target.value }); setErrors({}); }}>
            {currencies.map((c) => <option key={c.code} value={c.code}>{c.label}</option>)}
          </select>
        </Field>
        <Field id="w-amount" label="Amount" hint={amountHint} error={errors.amount}
          aside={available > 0n ? <button type="button" className="rounded text-xs font-medium text-indigo-600 hover:text-indigo-500 focus-visible:outline-2 focus-visible:outline-indigo-600"
            onClick={() => { setValues({ ...values, amount: formatUnits(available, current.decimals) }); setErrors({ ...errors, amount: undefined }); }}>Max</button> : undefined}>
          <input id="w-amount" required inputMode="decimal" autoComplete="off" className={inputClass} value={values.amount} placeholder="12.5"
            aria-invalid={!!errors.amount} aria-describedby={describedBy("w-amount", amountHint, errors.amount)}
            onChange={(e) => setValues({ ...values, amount: e.target.value })} />
        </Field>
      </div>
      {errors.amount && <p className="-mt-2 text-xs text-zinc-500">Available: {availableText}</p>}
      <Field id="w-destination" label="Destination address" error={errors.destination}>
        <input id="w-destination" required autoComplete="off" spellCheck={false} className={`${inputClass} font-mono`} value={values.destination} placeholder={PLACEHOLDER[current.family] ?? ""}
          aria-invalid={!!errors.destination} aria-describedby={describedBy("w-destination", null, errors.destination)}
          onChange={(e) => setValues({ ...values, destination: e.target.value.trim() })} />
      </Field>
      <Field id="w-comment" label="Comment (optional)">
        <input id="w-comment" maxLength={500} className={inputClass} value={values.comment} onChange={(e) => setValues({ ...values, comment: e.target.value })} />
      </Field>
      <Button type="submit" pending={checking} pendingLabel="Checking…" disabled={!!disabledReason} title={disabledReason ?? undefined}
        aria-describedby={disabledReason ? "role-notice" : undefined}>Review withdrawal</Button>
    </form>
  );
}
