"use client";
// Team page controls (client): invite a member (the link is shown once), change a role, remove a
// member, revoke an invitation. Each calls a server action that checks the role again.
import { startTransition, useActionState, useState, type FormEvent } from "react";
import { FormError } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field, inputClass } from "@/components/ui/field";
import { ChoiceCard, DialogActions, useFormDialog } from "@/components/ui/form-dialog";
import { ShownOnce } from "@/components/ui/shown-once";
import { RevokeDialog } from "@/components/ui/revoke-dialog";
import { ROLE_DESCRIPTION, ROLE_LABEL, type TeamRole } from "@/lib/team/roles";
import { changeRoleAction, inviteMemberAction, removeMemberAction, revokeTeamInvitationAction, type InviteMemberState, type TeamActionState } from "./actions";

export function InviteMember({ roles, disabledReason }: { roles: TeamRole[]; disabledReason?: string | null }) {
  const { open, show, close, submit, state, pending } = useFormDialog<InviteMemberState>(inviteMemberAction);
  const created = state.created;
  const link = created ? `${window.location.origin}/sign-up?team-invite=${created.token}` : "";

  return (
    <>
      <Button onClick={show} disabled={!!disabledReason} title={disabledReason ?? undefined} aria-describedby={disabledReason ? "role-notice" : undefined}>
        <svg className="size-4" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true"><path d="M10.75 4.75a.75.75 0 0 0-1.5 0v4.5h-4.5a.75.75 0 0 0 0 1.5h4.5v4.5a.75.75 0 0 0 1.5 0v-4.5h4.5a.75.75 0 0 0 0-1.5h-4.5v-4.5Z" /></svg>
        Invite member
      </Button>
      <Dialog open={open} onClose={close} labelledBy="invite-member-title" dismissible={!created && !pending}>
        {created ? (
          <ShownOnce titleId="invite-member-title" title="Invitation link"
            description={<>{created.email ? <>For {created.email}, as </> : <>As </>}{ROLE_LABEL[created.role].toLowerCase()}. Valid for 7 days, for one person.</>}
            warning={<>Send this link to the person you invite. {created.email ? "Only that email address can use it." : "Anyone with it can join your team."}</>}
            value={link} testId="team-invitation-link" onDone={close} />
        ) : (
          <form onSubmit={submit} className="space-y-5">
            <div>
              <h2 id="invite-member-title" className="text-base font-semibold text-zinc-900">Invite a team member</h2>
              <p className="mt-1 text-sm text-zinc-600">Creates a link that adds one person to this account with the role you choose. It expires in 7 days.</p>
            </div>
            {state.error && <FormError>{state.error}</FormError>}
            <Field id="member-email" label={<>Email <span className="font-normal text-zinc-600">(optional: only this address can use the link)</span></>}>
              <input id="member-email" name="email" type="email" maxLength={320} placeholder="colleague@example.com" className={inputClass} autoFocus />
            </Field>
            <fieldset className="m-0 min-w-0 border-0 p-0">
              <legend className="text-sm font-medium text-zinc-800">Role</legend>
              <div className="mt-1.5 space-y-2">
                {roles.map((r) => <ChoiceCard key={r} name="role" value={r} title={ROLE_LABEL[r]} description={ROLE_DESCRIPTION[r]} defaultChecked={r === "developer"} />)}
              </div>
            </fieldset>
            <DialogActions onCancel={close} pending={pending} label="Create invitation" />
          </form>
        )}
      </Dialog>
    </>
  );
}

/** The member's role as a select with a Save button (roles: what the signed-in user may give). */
export function MemberRole({ userId, email, role, roles }: { userId: string; email: string; role: TeamRole; roles: TeamRole[] }) {
  const [state, dispatch, pending] = useActionState<TeamActionState, FormData>(changeRoleAction, {});
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    startTransition(() => dispatch(data));
  }
  const id = `role-${userId}`;
  return (
    <form onSubmit={submit} className="flex flex-wrap items-center gap-2" aria-label={`Role of ${email}`}>
      <input type="hidden" name="userId" value={userId} />
      <label htmlFor={id} className="sr-only">Role of {email}</label>
      <select id={id} name="role" defaultValue={role} key={role} className={`${inputClass} w-auto py-1.5`}>
        {roles.map((r) => <option key={r} value={r}>{ROLE_LABEL[r]}</option>)}
      </select>
      <Button type="submit" variant="secondary" size="sm" pending={pending} pendingLabel="Saving…">Save<span className="sr-only"> role of {email}</span></Button>
      {state.error && <p role="alert" className="basis-full text-xs font-medium text-red-700">{state.error}</p>}
      {state.ok && !state.error && <p role="status" className="basis-full text-xs text-emerald-700">{state.ok}</p>}
    </form>
  );
}

export function RemoveMember({ userId, email }: { userId: string; email: string }) {
  return (
    <RevokeDialog id={userId} label={email} field="userId" action={removeMemberAction} verb="Remove" confirmLabel="Remove member">
      They are signed out at once and can no longer sign in to this account. Their API keys, webhooks and payments stay with the account.
    </RevokeDialog>
  );
}

export function RevokeTeamInvitation({ id, label }: { id: string; label: string }) {
  return (
    <RevokeDialog id={id} label={label} field="id" action={revokeTeamInvitationAction} confirmLabel="Revoke invitation">
      Its link stops working at once. You can invite them again at any time.
    </RevokeDialog>
  );
}
