"use client";
// A one-click server action (send test, enable/disable, redeliver) with its result shown inline.
import { useActionState } from "react";
import { Button, type ButtonVariant } from "@/components/ui/button";
import type { ActionState } from "@/app/dashboard/webhooks/actions";

type Props = {
  action: (p: ActionState, d: FormData) => Promise<ActionState>;
  fields: Record<string, string>;
  label: string;
  variant?: ButtonVariant;
  testId?: string;
};

export function ActionButton({ action, fields, label, variant = "secondary", testId }: Props) {
  const [state, dispatch, pending] = useActionState(action, {});
  return (
    <form action={dispatch} className="inline-flex items-center gap-2">
      {Object.entries(fields).map(([k, v]) => <input key={k} type="hidden" name={k} value={v} />)}
      <Button type="submit" size="sm" variant={variant} pending={pending} data-testid={testId}>{label}</Button>
      {state.error && <span role="alert" className="text-xs text-red-600">{state.error}</span>}
      {state.ok && !state.error && <span role="status" className="text-xs text-zinc-500">{state.ok}</span>}
    </form>
  );
}
