"use client";
import { RevokeDialog } from "@/components/ui/revoke-dialog";
import { revokeInvitationAction } from "./actions";

export function RevokeInvitation({ id, label }: { id: string; label: string }) {
  return (
    <RevokeDialog id={id} label={label} field="id" action={revokeInvitationAction} confirmLabel="Revoke invitation">
      Its link stops working at once. You can create a new invitation at any time.
    </RevokeDialog>
  );
}
