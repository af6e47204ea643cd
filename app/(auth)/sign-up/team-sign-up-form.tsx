"use client";
// Joining a merchant's team from an invitation link (/sign-up?team-invite=…): name, email (fixed
// when the invitation names one), password.
import Link from "next/link";
import { FormError } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { describedBy, Field, inputClass } from "@/components/ui/field";
import { useActionForm } from "@/components/ui/use-action-form";
import { teamSignUpAction, type SignUpState } from "../actions";

export function TeamSignUpForm({ token, email }: { token: string; email: string | null }) {
  const { state, formAction, pending, onSubmit } = useActionForm<SignUpState>(teamSignUpAction, {});
  const e = state.errors ?? {};
  const passwordHint = "At least 10 characters.";
  const emailHint = email ? "The invitation is for this address." : null;
  return (
    <form action={formAction} onSubmit={onSubmit} className="space-y-5" noValidate>
      {state.formError && <FormError>{state.formError}</FormError>}
      <input type="hidden" name="teamInvite" value={token} />
      <Field id="name" label={<>Your name <span className="font-normal text-zinc-600">(optional)</span></>} error={e.name}>
        <input id="name" name="name" autoComplete="name" maxLength={100} autoFocus className={inputClass}
          aria-invalid={!!e.name} aria-describedby={describedBy("name", null, e.name)} />
      </Field>
      <Field id="email" label="Email" hint={emailHint} error={e.email}>
        <input id="email" name="email" type="email" autoComplete="email" required className={inputClass} defaultValue={email ?? undefined} readOnly={!!email}
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
      <Button type="submit" pending={pending} pendingLabel="Joining…" className="w-full">Join the team</Button>
      <p className="text-center text-sm text-zinc-500">
        Already have an account?{" "}
        <Link href="/sign-in" className="font-medium text-indigo-600 hover:text-indigo-500 focus-visible:outline-2 focus-visible:outline-indigo-600 rounded">Sign in</Link>
      </p>
    </form>
  );
}
