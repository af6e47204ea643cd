"use client";
import Link from "next/link";
import { FormError } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field, inputClass } from "@/components/ui/field";
import { useActionForm } from "@/components/ui/use-action-form";
import { signInAction, type SignInState } from "../actions";

export function SignInForm({ initialError }: { initialError?: string }) {
  const { state, formAction, pending, onSubmit } = useActionForm<SignInState>(signInAction, { error: initialError });
  return (
    <form action={formAction} onSubmit={onSubmit} className="space-y-5" noValidate>
      {state.error && <FormError>{state.error}</FormError>}
      <Field id="email" label="Email">
        <input id="email" name="email" type="email" autoComplete="email" required autoFocus className={inputClass} />
      </Field>
      <Field id="password" label="Password">
        <input id="password" name="password" type="password" autoComplete="current-password" required className={inputClass} />
      </Field>
      {state.needCode && (
        <Field id="code" label="Authentication code" hint="The 6-digit code your authenticator app shows for Tollgate.">
          <input id="code" name="code" inputMode="numeric" autoComplete="one-time-code" pattern="[0-9 ]*" maxLength={8} required autoFocus
            className={`${inputClass} font-mono tracking-widest`} aria-describedby="code-hint" />
        </Field>
      )}
      <Button type="submit" pending={pending} pendingLabel="Signing in…" className="w-full">Sign in</Button>
      <p className="text-center text-sm text-zinc-500">
        New to Tollgate?{" "}
        <Link href="/sign-up" className="font-medium text-indigo-600 hover:text-indigo-500 focus-visible:outline-2 focus-visible:outline-indigo-600 rounded">Create an account</Link>
      </p>
    </form>
  );
}
