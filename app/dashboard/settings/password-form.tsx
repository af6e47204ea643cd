"use client";
// Settings → Password: current password, new password (the sign-up rule), confirmation.
import { changePasswordAction, type PasswordState } from "./password-actions";
import { FormError } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { describedBy, Field, inputClass } from "@/components/ui/field";
import { useActionForm } from "@/components/ui/use-action-form";
import { useEffect, useState } from "react";

/** This browser's session takes the new epoch (Auth.js's session update: POST /api/auth/session with its CSRF token). */
async function keepThisSession(sessionEpoch: string): Promise<boolean> {
  try {
    const { csrfToken } = (await (await fetch("/api/auth/csrf", { cache: "no-store" })).json()) as { csrfToken: string };
    const res = await fetch("/api/auth/session", {
      method: "POST", cache: "no-store", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ csrfToken, data: { sessionEpoch } }),
    });
    return res.ok;
  } catch {
    return false;
  }
}

const HINT = "At least 10 characters.";

export function PasswordForm() {
  const { state, onSubmit, pending } = useActionForm<PasswordState>(changePasswordAction, {});
  const e = state.errors ?? {};
  // the change is reported once this session holds the new epoch (or could not: then it says so)
  const [kept, setKept] = useState<{ at: number; ok: boolean } | null>(null);
  useEffect(() => {
    if (!state.changedAt || !state.sessionEpoch) return;
    let live = true;
    const at = state.changedAt;
    void keepThisSession(state.sessionEpoch).then((ok) => { if (live) setKept({ at, ok }); });
    return () => { live = false; };
  }, [state.changedAt, state.sessionEpoch]);
  const done = state.changedAt && kept?.at === state.changedAt ? kept : null;
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
        {done && <p role="status" className="text-sm text-emerald-700">
          {done.ok ? "Password changed." : "Password changed. Sign in again with the new password."}
          <span className="block text-xs text-zinc-600">Your other signed-in sessions were signed out.</span>
        </p>}
        {e.form && <FormError>{e.form}</FormError>}
        <Button type="submit" pending={pending}>Change password</Button>
      </form>
    </section>
  );
}
