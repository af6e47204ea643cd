"use client";
// A "Revoke" button that asks first: a dialog naming what is revoked and what follows, the
// action's error in place, closed once the action says it is done. API keys, invitations, and
// (verb "Delete") webhook endpoints.
import { startTransition, useActionState, useEffect, useState, type FormEvent, type ReactNode } from "react";
import { FormError } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";

export type RevokeState = { error?: string; revoked?: boolean };

export function RevokeDialog({ id, label, field, action, confirmLabel, verb = "Revoke", hidden = {}, children, disabledReason }: {
  id: string;
  /** what is revoked, as the merchant knows it (shown in the title and to screen readers) */
  label: string;
  /** the form field that carries `id` to the action */
  field: string;
  action: (prev: RevokeState, data: FormData) => Promise<RevokeState>;
  confirmLabel: string;
  /** the button's and the title's verb */
  verb?: string;
  /** further form fields for the action (e.g. the mode) */
  hidden?: Record<string, string>;
  /** what revoking means */
  children: ReactNode;
  /** the signed-in user's role may not do this: the button is disabled and says why (lib/team/roles.ts) */
  disabledReason?: string | null;
}) {
  const [open, setOpen] = useState(false);
  const [state, dispatch, pending] = useActionState<RevokeState, FormData>(action, {});
  useEffect(() => { if (state.revoked) setOpen(false); }, [state]);

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    startTransition(() => dispatch(data));
  }

  const titleId = `revoke-${id}-title`;
  return (
    <>
      <Button variant="ghost" size="sm" className="text-red-600 hover:bg-red-50 hover:text-red-700" onClick={() => setOpen(true)}
        disabled={!!disabledReason} title={disabledReason ?? undefined} aria-describedby={disabledReason ? "role-notice" : undefined}>
        {verb}<span className="sr-only"> {label}</span>
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} labelledBy={titleId} dismissible={!pending}>
        <form onSubmit={submit} className="space-y-4">
          <input type="hidden" name={field} value={id} />
          {Object.entries(hidden).map(([k, v]) => <input key={k} type="hidden" name={k} value={v} />)}
          <h2 id={titleId} className="text-base font-semibold text-zinc-900">{verb} {label}?</h2>
          <p className="text-sm text-zinc-600">{children}</p>
          {state.error && <FormError>{state.error}</FormError>}
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={() => setOpen(false)} disabled={pending} autoFocus>Cancel</Button>
            <Button type="submit" variant="danger" pending={pending} pendingLabel={verb === "Revoke" ? "Revoking…" : verb === "Remove" ? "Removing…" : "Deleting…"}>{confirmLabel}</Button>
          </div>
        </form>
      </Dialog>
    </>
  );
}
