"use client";
// The dashboard's "create something" dialogs (API key, invitation, team member, payment link,
// webhook endpoint): a form in a Dialog that calls a server action, and the pieces they share.
import { startTransition, useActionState, useCallback, useState, type FormEvent, type ReactNode } from "react";
import { Button } from "./button";

/**
 * Open/close state and the form's action. Closing also drops the action's answer (null resets it
 * to `{}`), so a secret shown once leaves memory as well as the screen; `onClose` resets the form's
 * own state.
 */
export function useFormDialog<S extends object>(action: (prev: S, data: FormData) => Promise<S>, onClose?: () => void) {
  const reducer = useCallback(async (prev: Awaited<S>, data: FormData | null): Promise<S> => (data ? action(prev, data) : ({} as S)), [action]);
  const [open, setOpen] = useState(false);
  const [state, dispatch, pending] = useActionState(reducer, {} as Awaited<S>);
  const close = () => {
    setOpen(false);
    onClose?.();
    startTransition(() => dispatch(null));
  };
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    startTransition(() => dispatch(data));
  };
  return { open, show: () => setOpen(true), close, submit, state, pending };
}

/** Cancel and the submit button, at the foot of a dialog's form. */
export function DialogActions({ onCancel, pending, label, pendingLabel = "Creating…" }: { onCancel: () => void; pending: boolean; label: ReactNode; pendingLabel?: string }) {
  return (
    <div className="flex justify-end gap-2">
      <Button variant="secondary" onClick={onCancel} disabled={pending}>Cancel</Button>
      <Button type="submit" pending={pending} pendingLabel={pendingLabel}>{label}</Button>
    </div>
  );
}

/** One option of a radio group as a card: a title and a line that explains it. */
export function ChoiceCard({ name, value, title, description, defaultChecked }: { name: string; value: string; title: ReactNode; description: ReactNode; defaultChecked?: boolean }) {
  return (
    <label className="flex cursor-pointer gap-3 rounded-lg p-3 ring-1 ring-zinc-200 ring-inset has-[:checked]:bg-indigo-50/60 has-[:checked]:ring-2 has-[:checked]:ring-indigo-600 has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-offset-2 has-[:focus-visible]:outline-indigo-600">
      <input type="radio" name={name} value={value} defaultChecked={defaultChecked} className="mt-0.5 size-4 accent-indigo-600 focus:outline-none" />
      <span>
        <span className="block text-sm font-medium text-zinc-900">{title}</span>
        <span className="block text-xs text-zinc-600">{description}</span>
      </span>
    </label>
  );
}
