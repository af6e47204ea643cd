"use client";
import { FormError } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field, inputClass } from "@/components/ui/field";
import { DialogActions, useFormDialog } from "@/components/ui/form-dialog";
import { ShownOnce } from "@/components/ui/shown-once";
import { createInvitationAction, type CreateInvitationState } from "./actions";

export function CreateInvitation() {
  const { open, show, close, submit, state, pending } = useFormDialog<CreateInvitationState>(createInvitationAction);
  const created = state.created;
  const link = created ? `${window.location.origin}/sign-up?invite=${created.token}` : "";

  return (
    <>
      <Button onClick={show}>
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
            <DialogActions onCancel={close} pending={pending} label="Create invitation" />
          </form>
        )}
      </Dialog>
    </>
  );
}
