"use client";
// Settings → Password: current password, new password (the sign-up rule), confirmation.
import { changePasswordAction, type PasswordState } from "./password-actions";
import { FormError } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { describedBy, Field, inputClass } from "@/components/ui/field";
import { useActionForm } from "@/components/ui/use-action-form";

const HINT = "At least 10 characters.";

export function PasswordForm() {
  const { state, onSubmit, pending } = useActionForm<PasswordState>(changePasswordAction, {});
  const e = state.errors ?? {};
  return (
    <section aria-labelledby="password-settings" className="mt-8 max-w-2xl rounded-xl bg-white p-5 shadow-sm ring-1 ring-zinc-200">
      <h2 id="password-settings" className="text-base font-semibold text-zinc-900">Password</h2>
      <form onSubmit={onSubmit} className="mt-4 space-y-4" key={state.changedAt ?? 0}>
        <Field id="currentPassword" label="Current password" error={e.current}>
          <input id="currentPassword" name="currentPassword" type="password" autoComplete="current-password" required className={inputClass}
            aria-invalid={!!e.current} aria-describedby={describedBy("currentPassword", undefined, e.current)} />
        </Field>
        <Field id="newPassword" label="New password" hint={HINT} error={e.next}>
          <input id="newPassword" name="newPassword" type="password" autoComplete="new-password" required className={inputClass}
            aria-invalid={!!e.next} aria-describedby={describedBy("newPassword", HINT, e.next)} />
        </Field>
        <Field id="confirmPassword" label="Confirm new password" error={e.confirm}>
          <input id="confirmPassword" name="confirmPassword" type="password" autoComplete="new-password" required className={inputClass}
            aria-invalid={!!e.confirm} aria-describedby={describedBy("confirmPassword", undefined, e.confirm)} />
        </Field>
        {state.changedAt && <p role="status" className="text-sm text-emerald-700">Password changed.</p>}
        {e.form && <FormError>{e.form}</FormError>}
        <Button type="submit" pending={pending}>Change password</Button>
      </form>
    </section>
  );
}
