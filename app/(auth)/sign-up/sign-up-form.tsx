"use client";
// Creating an account: a new merchant (its business name, and the invitation link's token when
// sign-up is by invitation), or a member joining a merchant's team from an invitation link
// (/sign-up?team-invite=…: the person's name, optional; the email fixed when the invitation names one).
import Link from "next/link";
import type { ReactNode } from "react";
import { FormError } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { describedBy, Field, inputClass } from "@/components/ui/field";
import { useActionForm } from "@/components/ui/use-action-form";
import { signUpAction, teamSignUpAction, type SignUpState } from "../actions";

export function SignUpForm({ invite = "" }: { invite?: string }) {
  return (
    <AccountForm action={signUpAction} hidden={invite ? { invite } : {}} submit={["Create account", "Creating account…"]}
      name={{ label: "Business name", autoComplete: "organization", required: true }} />
  );
}

export function TeamSignUpForm({ token, email }: { token: string; email: string | null }) {
  return (
    <AccountForm action={teamSignUpAction} hidden={{ teamInvite: token }} submit={["Join the team", "Joining…"]}
      name={{ label: <>Your name <span className="font-normal text-zinc-600">(optional)</span></>, autoComplete: "name", required: false }}
      email={email ? { value: email, hint: "The invitation is for this address." } : undefined} />
  );
}

function AccountForm({ action, hidden, name, email, submit }: {
  action: (prev: SignUpState, data: FormData) => Promise<SignUpState>;
  hidden: Record<string, string>;
  name: { label: ReactNode; autoComplete: string; required: boolean };
  /** an email the form may not change */
  email?: { value: string; hint: string };
  submit: [label: string, pending: string];
}) {
  const { state, formAction, pending, onSubmit } = useActionForm<SignUpState>(action, {});
  const e = state.errors ?? {};
  const passwordHint = "At least 10 characters.";
  const emailHint = email?.hint ?? null;
  return (
    <form action={formAction} onSubmit={onSubmit} className="space-y-5" noValidate>
      {state.formError && <FormError>{state.formError}</FormError>}
      {Object.entries(hidden).map(([k, v]) => <input key={k} type="hidden" name={k} value={v} />)}
      <Field id="name" label={name.label} error={e.name}>
        <input id="name" name="name" autoComplete={name.autoComplete} required={name.required} maxLength={100} autoFocus className={inputClass}
          aria-invalid={!!e.name} aria-describedby={describedBy("name", null, e.name)} />
      </Field>
      <Field id="email" label="Email" hint={emailHint} error={e.email}>
        <input id="email" name="email" type="email" autoComplete="email" required className={inputClass} defaultValue={email?.value} readOnly={!!email}
          aria-invalid={!!e.email} aria-describedby={describedBy("email", emailHint, e.email)} />
      </Field>
      <Field id="password" label="Password" hint={passwordHint} error={e.password}>
        <input id="password" name="password" type="password" autoComplete="new-password" required minLength={10} className={inputClass}
          aria-invalid={!!e.password} aria-describedby={describedBy("password", passwordHint, e.password)} />
      </Field>
      <Field id="confirm" label="Confirm password" error={e.confirm}>
        <input id="confirm" name="confirm" type="password" autoComplete="new-password" required className={inputClass}
          aria-invalid={!!e.confirm} aria-describedby={describedBy("confirm", null, e.confirm)} />
      </Field>
      <Button type="submit" pending={pending} pendingLabel={submit[1]} className="w-full">{submit[0]}</Button>
      <p className="text-center text-sm text-zinc-500">
        Already have an account?{" "}
        <Link href="/sign-in" className="font-medium text-indigo-600 hover:text-indigo-500 focus-visible:outline-2 focus-visible:outline-indigo-600 rounded">Sign in</Link>
      </p>
    </form>
  );
}
