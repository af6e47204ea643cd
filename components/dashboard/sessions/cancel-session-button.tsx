"use client";
import { startTransition, useActionState, useEffect, useState, type FormEvent } from "react";
import { FormError } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Toast } from "@/components/ui/toast";

export type CancelSessionState = { error?: string; canceled?: boolean };
export type CancelSessionAction = (prev: CancelSessionState, data: FormData) => Promise<CancelSessionState>;

/**
 * "Cancel session" with a confirmation step; a lost race (paid or expired meanwhile) is shown in the
 * dialog. Rendered whatever the status, so that after the page refreshes with a session that can no
 * longer be canceled, the open dialog (and its error) and the success notice survive; only the
 * trigger button goes.
 */
export function CancelSessionButton({ sessionId, title, cancelable, action }: {
  sessionId: string;
  title: string;
  cancelable: boolean;
  /** the server action, passed in by the page */
  action: CancelSessionAction;
}) {
  const [open, setOpen] = useState(false);
  const [state, dispatch, pending] = useActionState<CancelSessionState, FormData>(action, {});
  useEffect(() => { if (state.canceled) setOpen(false); }, [state]);

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    startTransition(() => dispatch(data));
  }

  const titleId = `cancel-${sessionId}-title`;
  return (
    <>
      {cancelable && <Button variant="secondary" className="text-red-700 hover:bg-red-50" onClick={() => setOpen(true)}>Cancel session</Button>}
      <Dialog open={open} onClose={() => setOpen(false)} labelledBy={titleId} dismissible={!pending}>
        <form onSubmit={submit} className="space-y-4">
          <input type="hidden" name="sessionId" value={sessionId} />
          <h2 id={titleId} className="text-base font-semibold text-zinc-900">Cancel “{title}”?</h2>
          <p className="text-sm text-zinc-600">
            The session becomes <strong className="font-medium text-zinc-900">expired</strong> now and its checkout page stops
            taking payments. A payment that still arrives is recorded as a late payment, never lost. This can&apos;t be undone.
          </p>
          {state.error && <FormError>{state.error}</FormError>}
          <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
            <Button variant="secondary" onClick={() => setOpen(false)} disabled={pending} autoFocus>{state.error ? "Close" : "Keep session"}</Button>
            {!state.error && (
              <Button type="submit" variant="danger" pending={pending} pendingLabel="Canceling…">Cancel session</Button>
            )}
          </div>
        </form>
      </Dialog>
      <Toast message={state.canceled ? "Session canceled" : null} />
    </>
  );
}
