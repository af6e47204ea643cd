"use client";
import { startTransition, useActionState, useState, type FormEvent } from "react";
import { FormError } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field, inputClass } from "@/components/ui/field";
import { ShownOnce } from "@/components/ui/shown-once";
import { createInvitationAction, type CreateInvitationState } from "./actions";

// null = the dialog closed: drop the link from memory as well as from the screen.
async function reducer(prev: CreateInvitationState, data: FormData | null): Promise<CreateInvitationState> {
  return data ? createInvitationAction(prev, data) : {};
}

export function CreateInvitation() {
  const [open, setOpen] = useState(false);
  const [state, dispatch, pending] = useActionState(reducer, {});
  const created = state.created;
  const link = created ? `${window.location.origin}/sign-up?invite=${created.token}` : "";

  function close() {
    setOpen(false);
    startTransition(() => dispatch(null));
  }
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    startTransition(() => dispatch(data));
  }

  return (
    <>
      <Button onClick={() => setOpen(true)}>
        <svg className="size-4" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true"><path d="M10.75 4.75a.75.75 0 0 0-1.5 0v4.5h-4.5a.75.75 0 0 0 0 1.5h4.5v4.5a.75.75 0 0 0 1.5 0v-4.5h4.5a.75.75 0 0 0 0-1.5h-4.5v-4.5Z" /></svg>
        Invite a merchant
      </Button>
      <Dialog open={open} onClose={close} labelledBy="create-invitation-title" dismissible={!created && !pending}>
        {created ? (
          <ShownOnce titleId="create-invitation-title" title="Invitation link" description={<>{created.email ? <>For {created.email}. </> : null}Valid for 7 days, for one account.</>}
            warning="Send this link to the merchant you invite. Anyone with it can open an account." value={link} testId="invitation-link" onDone={close} />
        ) : (
          <form onSubmit={submit} className="space-y-5">
            <div>
              <h2 id="create-invitation-title" className="text-base font-semibold text-zinc-900">Invite a merchant</h2>
              <p className="mt-1 text-sm text-zinc-500">Creates a sign-up link that opens one merchant account on this instance. It expires in 7 days.</p>
            </div>
            {state.error && <FormError>{state.error}</FormError>}
            <Field id="invitation-email" label={<>Email <span className="font-normal text-zinc-500">(optional, for your records)</span></>}>
              <input id="invitation-email" name="email" type="email" maxLength={320} placeholder="merchant@example.com" className={inputClass} autoFocus />
            </Field>
            <div className="flex justify-end gap-2">
              <Button variant="secondary" onClick={close} disabled={pending}>Cancel</Button>
              <Button type="submit" pending={pending} pendingLabel="Creating…">Create invitation</Button>
            </div>
          </form>
        )}
      </Dialog>
    </>
  );
}
