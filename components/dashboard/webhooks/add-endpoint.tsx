"use client";
// Add an endpoint: URL, description, event types. The signing secret is shown once here (it can be
// revealed again later, after a confirmation).
import type { ReactNode } from "react";
import { FormError } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { Dialog } from "@/components/ui/dialog";
import { Field, inputClass } from "@/components/ui/field";
import { DialogActions, useFormDialog } from "@/components/ui/form-dialog";
import { createEndpointAction, type ActionState } from "@/app/dashboard/webhooks/actions";

export function AddEndpoint({ mode, checkboxes }: { mode: "test" | "live"; checkboxes: ReactNode }) {
  const { open, show, close, submit, state, pending } = useFormDialog<ActionState>(createEndpointAction);
  return (
    <>
      <Button onClick={show} data-testid="add-endpoint">Add endpoint</Button>
      <Dialog open={open} onClose={close} labelledBy="add-endpoint-title">
        {state.secret ? (
          <div>
            <h2 id="add-endpoint-title" className="text-base font-semibold text-zinc-900">Endpoint added</h2>
            <p className="mt-1 text-sm text-zinc-500">Verify deliveries with this signing secret (any Standard Webhooks library accepts it).</p>
            <div className="mt-4 flex items-center gap-2 rounded-lg bg-zinc-950 p-3">
              <code data-testid="endpoint-secret" className="min-w-0 flex-1 font-mono text-sm break-all text-zinc-100 select-all">{state.secret}</code>
              <CopyButton value={state.secret} />
            </div>
            <div className="mt-6 flex justify-end"><Button onClick={close} autoFocus>Done</Button></div>
          </div>
        ) : (
          <form onSubmit={submit} className="space-y-5">
            <div>
              <h2 id="add-endpoint-title" className="text-base font-semibold text-zinc-900">Add a {mode} webhook endpoint</h2>
              <p className="mt-1 text-sm text-zinc-500">Tollgate POSTs signed events to this URL and retries failures for 3 days.</p>
            </div>
            {state.error && <FormError>{state.error}</FormError>}
            <input type="hidden" name="mode" value={mode} />
            <Field id="endpoint-url" label="Endpoint URL">
              <input id="endpoint-url" name="url" type="url" required placeholder="https://example.com/webhooks/tollgate" className={inputClass} autoFocus />
            </Field>
            <Field id="endpoint-description" label={<>Description <span className="font-normal text-zinc-500">(optional)</span></>}>
              <input id="endpoint-description" name="description" maxLength={500} className={inputClass} />
            </Field>
            {checkboxes}
            <DialogActions onCancel={close} pending={pending} label="Add endpoint" pendingLabel="Adding…" />
          </form>
        )}
      </Dialog>
    </>
  );
}
