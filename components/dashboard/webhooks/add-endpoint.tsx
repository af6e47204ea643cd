"use client";
// Add an endpoint: URL, description, event types. The signing secret is shown once here (it can be
// revealed again later, after a confirmation).
import { startTransition, useActionState, useState, type FormEvent, type ReactNode } from "react";
import { FormError } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { Dialog } from "@/components/ui/dialog";
import { Field, inputClass } from "@/components/ui/field";
import { createEndpointAction, type ActionState } from "@/app/dashboard/webhooks/actions";

async function reducer(prev: ActionState, data: FormData | null): Promise<ActionState> {
  return data ? createEndpointAction(prev, data) : {};
}

export function AddEndpoint({ mode, checkboxes }: { mode: "test" | "live"; checkboxes: ReactNode }) {
  const [open, setOpen] = useState(false);
  const [state, dispatch, pending] = useActionState(reducer, {});
  const close = () => { setOpen(false); startTransition(() => dispatch(null)); };
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    startTransition(() => dispatch(data));
  };
  return (
    <>
      <Button onClick={() => setOpen(true)} data-testid="add-endpoint">Add endpoint</Button>
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
            <div className="flex justify-end gap-2">
              <Button variant="secondary" onClick={close}>Cancel</Button>
              <Button type="submit" pending={pending}>Add endpoint</Button>
            </div>
          </form>
        )}
      </Dialog>
    </>
  );
}
