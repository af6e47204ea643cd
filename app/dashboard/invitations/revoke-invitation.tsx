"use client";
import { startTransition, useActionState, useEffect, useState, type FormEvent } from "react";
import { FormError } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { revokeInvitationAction, type RevokeInvitationState } from "./actions";

export function RevokeInvitation({ id, label }: { id: string; label: string }) {
  const [open, setOpen] = useState(false);
  const [state, dispatch, pending] = useActionState<RevokeInvitationState, FormData>(revokeInvitationAction, {});
  useEffect(() => { if (state.revoked) setOpen(false); }, [state]);

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    startTransition(() => dispatch(data));
  }

  const titleId = `revoke-${id}-title`;
  return (
    <>
      <Button variant="ghost" size="sm" className="text-red-600 hover:bg-red-50 hover:text-red-700" onClick={() => setOpen(true)}>
        Revoke<span className="sr-only"> {label}</span>
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} labelledBy={titleId} dismissible={!pending}>
        <form onSubmit={submit} className="space-y-4">
          <input type="hidden" name="id" value={id} />
          <h2 id={titleId} className="text-base font-semibold text-zinc-900">Revoke {label}?</h2>
          <p className="text-sm text-zinc-600">Its link stops working at once. You can create a new invitation at any time.</p>
          {state.error && <FormError>{state.error}</FormError>}
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={() => setOpen(false)} disabled={pending} autoFocus>Cancel</Button>
            <Button type="submit" variant="danger" pending={pending} pendingLabel="Revoking…">Revoke invitation</Button>
          </div>
        </form>
      </Dialog>
    </>
  );
}
