"use client";
import { startTransition, useActionState, useState, type FormEvent } from "react";
import { FormError } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { Dialog } from "@/components/ui/dialog";
import { Field, inputClass } from "@/components/ui/field";
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
          <div>
            <h2 id="create-invitation-title" className="text-base font-semibold text-zinc-900">Invitation link</h2>
            <p className="mt-1 text-sm text-zinc-500">
              {created.email ? <>For {created.email}. </> : null}Valid for 7 days, for one account.
            </p>
            <div role="note" className="mt-4 flex gap-2 rounded-lg bg-amber-50 px-3 py-2.5 text-sm text-amber-900 ring-1 ring-amber-200 ring-inset">
              <svg className="mt-0.5 size-4 shrink-0" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true"><path fillRule="evenodd" d="M8.485 2.495c.673-1.167 2.357-1.167 3.03 0l6.28 10.875c.673 1.167-.17 2.625-1.516 2.625H3.72c-1.347 0-2.189-1.458-1.515-2.625L8.485 2.495ZM10 5a.75.75 0 0 1 .75.75v3.5a.75.75 0 0 1-1.5 0v-3.5A.75.75 0 0 1 10 5Zm0 9a1 1 0 1 0 0-2 1 1 0 0 0 0 2Z" clipRule="evenodd" /></svg>
              <p>Send this link to the merchant you invite. Anyone with it can open an account. <strong className="font-semibold">It won&apos;t be shown again.</strong></p>
            </div>
            <div className="mt-4 flex items-center gap-2 rounded-lg bg-zinc-950 p-3">
              <code data-testid="invitation-link" className="min-w-0 flex-1 font-mono text-sm break-all text-zinc-100 select-all">{link}</code>
              <CopyButton value={link} />
            </div>
            <div className="mt-6 flex justify-end">
              <Button onClick={close} autoFocus>Done</Button>
            </div>
          </div>
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
