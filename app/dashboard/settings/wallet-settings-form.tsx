"use client";
// Deposit address settings: GET /v1/income's counting side, seed 002's default max_amount and its request-signing secret.
import { saveWalletSettingsAction, type WalletSettingsState } from "./wallet-actions";
import { FormError } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { Field, inputClass } from "@/components/ui/field";
import { useActionForm } from "@/components/ui/use-action-form";

export function WalletSettingsForm({ countingSide, hasSigningSecret, depositMaxAmount }: { countingSide: "deposit" | "hot_wallet"; hasSigningSecret: boolean; depositMaxAmount: string }) {
  const { state, onSubmit, pending } = useActionForm<WalletSettingsState>(saveWalletSettingsAction, {});
  return (
    <section aria-labelledby="wallet-settings" className="mt-8 max-w-2xl rounded-xl bg-white p-5 shadow-sm ring-1 ring-zinc-200">
      <h2 id="wallet-settings" className="text-base font-semibold text-zinc-900">Deposit addresses</h2>
      <form onSubmit={onSubmit} className="mt-4 space-y-4">
        <Field id="countingSide" label="Income counts" hint="What GET /v1/income totals per deposit address.">
          <select id="countingSide" name="countingSide" defaultValue={countingSide} className={inputClass}>
            <option value="deposit">Everything received on the deposit address</option>
            <option value="hot_wallet">What was swept to the hot wallet</option>
          </select>
        </Field>
        <Field id="depositMaxAmount" label="Maximum deposit amount" hint="The max_amount of new /v2 deposit addresses whose request names none, in whole units of the address's currency (default 100000). Reported only: a larger deposit is credited all the same.">
          <input id="depositMaxAmount" name="depositMaxAmount" inputMode="decimal" required defaultValue={depositMaxAmount} className={inputClass} />
        </Field>
        <p className="text-sm text-zinc-600">
          Request signing (seed 002): {hasSigningSecret ? "on — /v2 requests must carry a valid Signature header." : "off."}
        </p>
        {state.secret && (
          <div role="status" className="rounded-lg bg-amber-50 p-3 text-sm text-amber-900">
            <p>Your new signing secret (shown once): <code className="font-mono break-all" data-testid="signing-secret">{state.secret}</code></p>
            <CopyButton value={state.secret} label="Copy secret" />
          </div>
        )}
        {state.saved && <p role="status" className="text-sm text-emerald-700">Saved.</p>}
        {state.error && <FormError>{state.error}</FormError>}
        <div className="flex flex-wrap gap-2">
          <Button type="submit" name="intent" value="save" pending={pending}>Save</Button>
          <Button type="submit" name="intent" value="rotate" variant="secondary" disabled={pending}>{hasSigningSecret ? "Rotate signing secret" : "Turn on request signing"}</Button>
          {hasSigningSecret && <Button type="submit" name="intent" value="remove" variant="ghost" disabled={pending}>Turn off request signing</Button>}
        </div>
      </form>
    </section>
  );
}
