"use client";
import { RevokeDialog } from "@/components/ui/revoke-dialog";
import { revokeKeyAction } from "./actions";

export function RevokeKey({ id, label, disabledReason }: { id: string; label: string; disabledReason?: string | null }) {
  return (
    <RevokeDialog id={id} label={label} field="keyId" action={revokeKeyAction} confirmLabel="Revoke key" disabledReason={disabledReason}>
      Requests using this key will fail with <code className="rounded bg-zinc-100 px-1 py-0.5 text-xs">401</code> immediately.
      This can&apos;t be undone; create a new key to replace it.
    </RevokeDialog>
  );
}
