"use client";
// New withdrawal with a confirmation step: fill in, review what will be sent, then confirm.
import { useState } from "react";
import { createWithdrawalAction, type WithdrawalActionState } from "@/app/dashboard/withdrawals/actions";
import { FormError } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field, inputClass } from "@/components/ui/field";
import { useActionForm } from "@/components/ui/use-action-form";

export type CurrencyOption = { code: string; label: string; family: string };

/** What an address of the currency's network looks like. */
const PLACEHOLDER: Record<string, string> = { evm: "0x…", tron: "T…" };

export function WithdrawalForm({ mode, currencies }: { mode: "test" | "live"; currencies: CurrencyOption[] }) {
  const [draft, setDraft] = useState<{ currency: string; amount: string; destination: string; comment: string; queryId: string } | null>(null);
  const [values, setValues] = useState({ currency: currencies[0]?.code ?? "", amount: "", destination: "", comment: "" });
  const { state, onSubmit, pending } = useActionForm<WithdrawalActionState>(async (prev, data) => {
    const out = await createWithdrawalAction(prev, data);
    if (out.ok) {
      setDraft(null);
      setValues((v) => ({ ...v, amount: "", destination: "", comment: "" }));
    }
    return out;
  }, {});

  if (currencies.length === 0) return <p className="text-sm text-zinc-500">No currency is enabled for withdrawals in this mode.</p>;

  if (draft) {
    return (
      <form onSubmit={onSubmit} className="space-y-4" aria-labelledby="confirm-title">
        <h3 id="confirm-title" className="text-sm font-semibold text-zinc-900">Confirm the withdrawal</h3>
        <dl className="grid grid-cols-[8rem_1fr] gap-y-1 text-sm">
          <dt className="text-zinc-500">Amount</dt><dd className="font-medium text-zinc-900" data-testid="confirm-amount">{draft.amount} {draft.currency}</dd>
          <dt className="text-zinc-500">To</dt><dd className="font-mono text-xs break-all text-zinc-900">{draft.destination}</dd>
          {draft.comment && (<><dt className="text-zinc-500">Comment</dt><dd>{draft.comment}</dd></>)}
        </dl>
        <p className="text-xs text-zinc-500">Sent from the hot wallet once the network is synced; on-chain transfers cannot be undone.</p>
        {Object.entries({ ...draft, mode }).map(([k, v]) => <input key={k} type="hidden" name={k} value={v} />)}
        {state.error && <FormError>{state.error}</FormError>}
        <div className="flex gap-2">
          <Button type="submit" pending={pending} pendingLabel="Sending…">Confirm and send</Button>
          <Button variant="secondary" onClick={() => setDraft(null)} disabled={pending}>Back</Button>
        </div>
      </form>
    );
  }
  return (
    <form
      className="space-y-4"
      onSubmit={(e) => {
        e.preventDefault();
        if (!e.currentTarget.reportValidity()) return;
        setDraft({ ...values, queryId: crypto.randomUUID() });
      }}
    >
      {state.ok && <p role="status" className="rounded-lg bg-emerald-50 px-3 py-2 text-sm text-emerald-800">{state.ok}</p>}
      <div className="grid gap-4 sm:grid-cols-[10rem_1fr]">
        <Field id="w-currency" label="Currency">
          <select id="w-currency" className={inputClass} value={values.currency} onChange={(e) => setValues({ ...values, currency: e.target.value })}>
            {currencies.map((c) => <option key={c.code} value={c.code}>{c.label}</option>)}
          </select>
        </Field>
        <Field id="w-amount" label="Amount" hint="In whole units, e.g. 12.5">
          <input id="w-amount" required inputMode="decimal" pattern="[0-9]+(\.[0-9]+)?" className={inputClass} value={values.amount}
            onChange={(e) => setValues({ ...values, amount: e.target.value })} />
        </Field>
      </div>
      <Field id="w-destination" label="Destination address">
        <input id="w-destination" required className={`${inputClass} font-mono`} value={values.destination} placeholder={PLACEHOLDER[currencies.find((c) => c.code === values.currency)?.family ?? "evm"] ?? ""}
          onChange={(e) => setValues({ ...values, destination: e.target.value.trim() })} />
      </Field>
      <Field id="w-comment" label="Comment (optional)">
        <input id="w-comment" maxLength={500} className={inputClass} value={values.comment} onChange={(e) => setValues({ ...values, comment: e.target.value })} />
      </Field>
      <Button type="submit">Review withdrawal</Button>
    </form>
  );
}
