"use client";
// "New payment link": title, price (fixed, or the customer enters it) in a display currency, and
// whether it can be paid more than once. The link is shown with a copy button once created.
import { useState } from "react";
import { FormError } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { Dialog } from "@/components/ui/dialog";
import { Field, inputClass } from "@/components/ui/field";
import { DialogActions, useFormDialog } from "@/components/ui/form-dialog";
import { createPaymentLinkAction, type CreateLinkState } from "./actions";

export function CreatePaymentLink({ mode, currencies, defaultCurrency }: { mode: "live" | "test"; currencies: readonly string[]; defaultCurrency: string }) {
  const [customer, setCustomer] = useState(false);
  const { open, show, close, submit, state, pending } = useFormDialog<CreateLinkState>(createPaymentLinkAction, () => setCustomer(false));
  const created = state.created;
  const err = (f: string) => (state.field === f ? state.error : undefined);

  return (
    <>
      <Button onClick={show} data-testid="new-payment-link">
        <svg className="size-4" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true"><path d="M10.75 4.75a.75.75 0 0 0-1.5 0v4.5h-4.5a.75.75 0 0 0 0 1.5h4.5v4.5a.75.75 0 0 0 1.5 0v-4.5h4.5a.75.75 0 0 0 0-1.5h-4.5v-4.5Z" /></svg>
        New payment link
      </Button>
      <Dialog open={open} onClose={close} labelledBy="create-link-title" dismissible={!pending}>
        {created ? (
          <div>
            <h2 id="create-link-title" className="text-base font-semibold text-zinc-900">Payment link created</h2>
            <p className="mt-1 text-sm text-zinc-500">Share it anywhere: whoever opens it pays on your hosted page, in any currency you accept.</p>
            <div className="mt-4 flex items-center gap-2 rounded-lg bg-zinc-950 p-3">
              <code data-testid="payment-link-url" className="min-w-0 flex-1 font-mono text-sm break-all text-zinc-100 select-all">{created.url}</code>
              <CopyButton value={created.url} />
            </div>
            <div className="mt-6 flex justify-end"><Button onClick={close} autoFocus>Done</Button></div>
          </div>
        ) : (
          <form onSubmit={submit} className="space-y-5" noValidate>
            <input type="hidden" name="mode" value={mode} />
            <div>
              <h2 id="create-link-title" className="text-base font-semibold text-zinc-900">New payment link</h2>
              <p className="mt-1 text-sm text-zinc-500">A {mode}-mode link priced in a currency of your choice; the payer picks the coin and network.</p>
            </div>
            {state.error && !state.field && <FormError>{state.error}</FormError>}
            <Field id="link-title" label="Title" hint="What the payer sees, e.g. “Consulting, 1 hour”." error={err("title")}>
              <input id="link-title" name="title" maxLength={120} required className={inputClass} aria-invalid={Boolean(err("title"))} autoFocus />
            </Field>
            <fieldset>
              <legend className="text-sm font-medium text-zinc-800">Price</legend>
              <div className="mt-2 flex flex-col gap-2 text-sm text-zinc-700 sm:flex-row sm:gap-6">
                <label className="flex items-center gap-2"><input type="radio" name="pricing" value="fixed" checked={!customer} onChange={() => setCustomer(false)} /> A fixed price</label>
                <label className="flex items-center gap-2"><input type="radio" name="pricing" value="customer" checked={customer} onChange={() => setCustomer(true)} /> The customer enters it</label>
              </div>
            </fieldset>
            <div className="grid grid-cols-2 gap-3">
              <Field id="link-amount" label="Amount" error={err("amount")}>
                <input id="link-amount" name="amount" inputMode="decimal" placeholder={customer ? "set by the customer" : "25.00"} disabled={customer}
                  className={inputClass} aria-invalid={Boolean(err("amount"))} />
              </Field>
              <Field id="link-currency" label="Currency" error={err("displayCurrency")}>
                <select id="link-currency" name="currency" defaultValue={defaultCurrency} className={inputClass}>
                  {currencies.map((c) => <option key={c} value={c}>{c}</option>)}
                </select>
              </Field>
            </div>
            <fieldset>
              <legend className="text-sm font-medium text-zinc-800">Use</legend>
              <div className="mt-2 flex flex-col gap-2 text-sm text-zinc-700 sm:flex-row sm:gap-6">
                <label className="flex items-center gap-2"><input type="radio" name="reusable" value="reusable" defaultChecked /> Many payments</label>
                <label className="flex items-center gap-2"><input type="radio" name="reusable" value="one-off" /> One payment (an invoice)</label>
              </div>
            </fieldset>
            <DialogActions onCancel={close} pending={pending} label="Create link" />
          </form>
        )}
      </Dialog>
    </>
  );
}
