"use client";
import { startTransition, useActionState, useEffect, useState, type FormEvent } from "react";
import { FormError } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Toast } from "@/components/ui/toast";

export type BlockPaymentState = { error?: string; blocked?: boolean };
export type BlockPaymentAction = (prev: BlockPaymentState, data: FormData) => Promise<BlockPaymentState>;

/** "Block payment" with a confirmation step (same shape as the sessions' cancel button). */
export function BlockPaymentButton({ paymentId, blockable, action }: { paymentId: string; blockable: boolean; action: BlockPaymentAction }) {
  const [open, setOpen] = useState(false);
  const [state, dispatch, pending] = useActionState<BlockPaymentState, FormData>(action, {});
  useEffect(() => { if (state.blocked) setOpen(false); }, [state]);

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    startTransition(() => dispatch(data));
  }

  const titleId = `block-${paymentId}-title`;
  return (
    <>
      {blockable && <Button variant="secondary" className="text-red-700 hover:bg-red-50" onClick={() => setOpen(true)}>Block payment</Button>}
      <Dialog open={open} onClose={() => setOpen(false)} labelledBy={titleId} dismissible={!pending}>
        <form onSubmit={submit} className="space-y-4">
          <input type="hidden" name="paymentId" value={paymentId} />
          <h2 id={titleId} className="text-base font-semibold text-zinc-900">Block this payment?</h2>
          <p className="text-sm text-zinc-600">
            The payment becomes <strong className="font-medium text-zinc-900">blocked</strong> and its checkout page stops taking payments.
            Funds already received stay on its deposit address for you to handle; later deposits are recorded, never lost. This can&apos;t be undone.
          </p>
          {state.error && <FormError>{state.error}</FormError>}
          <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
            <Button variant="secondary" onClick={() => setOpen(false)} disabled={pending} autoFocus>{state.error ? "Close" : "Keep payment"}</Button>
            {!state.error && <Button type="submit" variant="danger" pending={pending} pendingLabel="Blocking…">Block payment</Button>}
          </div>
        </form>
      </Dialog>
      <Toast message={state.blocked ? "Payment blocked" : null} />
    </>
  );
}
