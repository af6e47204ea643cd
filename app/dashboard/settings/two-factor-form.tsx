"use client";
// Settings → Two-factor sign-in: off → "Set up" shows a QR code (and the secret to type in) and
// asks for one code; on → turn off with the password and a current code.
import { FormError } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field, inputClass } from "@/components/ui/field";
import { useActionForm } from "@/components/ui/use-action-form";
import { QrCode } from "@/components/checkout/qr-code";
import { twoFactorAction, type TwoFactorState } from "./two-factor-actions";

const codeInput = (id: string) => (
  <input id={id} name="code" inputMode="numeric" autoComplete="one-time-code" maxLength={8} required className={`${inputClass} max-w-40 font-mono tracking-widest`} />
);

export function TwoFactorForm({ enabled }: { enabled: boolean }) {
  const { state, onSubmit, pending } = useActionForm<TwoFactorState>(twoFactorAction, {});
  const on = state.done ? state.done === "on" : enabled;
  return (
    <section aria-labelledby="two-factor-settings" className="mt-8 max-w-2xl rounded-xl bg-white p-5 shadow-sm ring-1 ring-zinc-200" data-testid="two-factor">
      <h2 id="two-factor-settings" className="text-base font-semibold text-zinc-900">Two-factor sign-in</h2>
      <p className="mt-1 text-sm text-zinc-600" role="status">
        {on
          ? "On: signing in asks for a code from your authenticator app after your password."
          : "Off. Add a code from an authenticator app (1Password, Google Authenticator, Authy, …) to every sign-in."}
      </p>
      {state.error && <div className="mt-3"><FormError>{state.error}</FormError></div>}
      {on ? (
        <form onSubmit={onSubmit} className="mt-4 space-y-4" key={`off-${state.done ?? ""}`}>
          <input type="hidden" name="step" value="disable" />
          <Field id="tf-password" label="Your password">
            <input id="tf-password" name="password" type="password" autoComplete="current-password" required className={inputClass} />
          </Field>
          <Field id="tf-disable-code" label="Current code">{codeInput("tf-disable-code")}</Field>
          <Button type="submit" variant="secondary" pending={pending}>Turn off two-factor sign-in</Button>
        </form>
      ) : state.setup ? (
        <form onSubmit={onSubmit} className="mt-4 space-y-4">
          <input type="hidden" name="step" value="confirm" />
          <div className="flex flex-col gap-4 sm:flex-row sm:items-start">
            <QrCode value={state.setup.uri} alt="QR code to add Tollgate to your authenticator app" />
            <div className="min-w-0 text-sm text-zinc-600">
              <p>Scan the code with your authenticator app, or enter this key by hand:</p>
              <code data-testid="totp-secret" className="mt-2 block rounded bg-zinc-100 px-2 py-1.5 font-mono text-xs break-all text-zinc-900 select-all">{state.setup.secret}</code>
            </div>
          </div>
          <Field id="tf-confirm-code" label="Code from the app">{codeInput("tf-confirm-code")}</Field>
          <Button type="submit" pending={pending}>Turn on</Button>
        </form>
      ) : (
        <form onSubmit={onSubmit} className="mt-4">
          <input type="hidden" name="step" value="begin" />
          <Button type="submit" pending={pending}>Set up two-factor sign-in</Button>
        </form>
      )}
    </section>
  );
}
