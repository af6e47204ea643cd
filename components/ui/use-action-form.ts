"use client";
import { startTransition, useActionState, type FormEvent } from "react";

/**
 * useActionState for a <form>, dispatched from onSubmit rather than the form's action prop: React
 * resets a form after an action run through its action prop, which would wipe what the user typed
 * whenever the server answers with a validation error. The action prop stays set, so the form
 * still works before hydration.
 */
export function useActionForm<S>(action: (state: Awaited<S>, data: FormData) => S | Promise<S>, initial: Awaited<S>) {
  const [state, formAction, pending] = useActionState(action, initial);
  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const data = new FormData(e.currentTarget, (e.nativeEvent as SubmitEvent).submitter);
    startTransition(() => formAction(data));
  }
  return { state, formAction, pending, onSubmit };
}
