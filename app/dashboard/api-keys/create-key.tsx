"use client";
import { useState } from "react";
import { FormError } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field, inputClass } from "@/components/ui/field";
import { ChoiceCard, DialogActions, useFormDialog } from "@/components/ui/form-dialog";
import { ShownOnce } from "@/components/ui/shown-once";
import { RESOURCES } from "@/lib/api-keys/permissions";
import { createKeyAction, type CreateKeyState } from "./actions";

const RESOURCE_LIST = Object.entries(RESOURCES).map(([r, v]) => [r, v.label] as const);

/** disabledReason: the signed-in user's role may not create keys (the button says why; the action refuses too) */
export function CreateKey({ label = "Create secret key", disabledReason }: { label?: string; disabledReason?: string | null }) {
  const [access, setAccess] = useState<"full" | "restricted">("full");
  const { open, show, close, submit, state, pending } = useFormDialog<CreateKeyState>(createKeyAction, () => setAccess("full"));
  const created = state.created;

  return (
    <>
      <Button onClick={show} disabled={!!disabledReason} title={disabledReason ?? undefined} aria-describedby={disabledReason ? "role-notice" : undefined}>
        <svg className="size-4" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true"><path d="M10.75 4.75a.75.75 0 0 0-1.5 0v4.5h-4.5a.75.75 0 0 0 0 1.5h4.5v4.5a.75.75 0 0 0 1.5 0v-4.5h4.5a.75.75 0 0 0 0-1.5h-4.5v-4.5Z" /></svg>
        {label}
      </Button>
      <Dialog open={open} onClose={close} labelledBy="create-key-title" dismissible={!created && !pending}>
        {created ? (
          <ShownOnce titleId="create-key-title" title={<>Your new {created.livemode ? "live" : "test"} secret key</>} description={created.name || undefined}
            warning="Copy this key now and keep it somewhere safe." value={created.key} testId="new-secret-key" onDone={close} />
        ) : (
          <form onSubmit={submit} className="space-y-5">
            <div>
              <h2 id="create-key-title" className="text-base font-semibold text-zinc-900">Create a secret key</h2>
              <p className="mt-1 text-sm text-zinc-500">Secret keys authenticate your server with the Tollgate API. Keep them out of browsers and source code.</p>
            </div>
            {state.error && <FormError>{state.error}</FormError>}
            <Field id="key-name" label={<>Name <span className="font-normal text-zinc-500">(optional)</span></>}>
              <input id="key-name" name="name" maxLength={100} placeholder="e.g. Production web server" className={inputClass} autoFocus />
            </Field>
            <fieldset>
              <legend className="text-sm font-medium text-zinc-800">Mode</legend>
              <div className="mt-1.5 grid gap-2 sm:grid-cols-2">
                <ChoiceCard name="mode" value="test" title="Test" description="Test networks; no real funds." defaultChecked />
                <ChoiceCard name="mode" value="live" title="Live" description="Mainnets and real payments." />
              </div>
            </fieldset>
            <fieldset>
              <legend className="text-sm font-medium text-zinc-800">Access</legend>
              <div className="mt-1.5 grid gap-2 sm:grid-cols-2">
                <label className="flex items-center gap-2 rounded-lg p-3 text-sm ring-1 ring-zinc-200 ring-inset has-[:checked]:ring-2 has-[:checked]:ring-indigo-600">
                  <input type="radio" name="access" value="full" checked={access === "full"} onChange={() => setAccess("full")} className="size-4 accent-indigo-600" /> Full access
                </label>
                <label className="flex items-center gap-2 rounded-lg p-3 text-sm ring-1 ring-zinc-200 ring-inset has-[:checked]:ring-2 has-[:checked]:ring-indigo-600">
                  <input type="radio" name="access" value="restricted" checked={access === "restricted"} onChange={() => setAccess("restricted")} className="size-4 accent-indigo-600" /> Restricted
                </label>
              </div>
              {access === "restricted" && (
                <div className="mt-3 space-y-2" data-testid="key-permissions">
                  <p className="text-xs text-zinc-500">Read allows the resource&apos;s GET requests; write allows everything on it. Anything else answers 403.</p>
                  {RESOURCE_LIST.map(([r, label]) => (
                    <label key={r} className="flex items-center justify-between gap-3 text-sm">
                      <span className="text-zinc-700">{label}</span>
                      <select name={`perm.${r}`} defaultValue="none" aria-label={`${label} access`} className={`${inputClass} w-28`}>
                        <option value="none">None</option>
                        <option value="read">Read</option>
                        <option value="write">Write</option>
                      </select>
                    </label>
                  ))}
                </div>
              )}
            </fieldset>
            <DialogActions onCancel={close} pending={pending} label="Create key" />
          </form>
        )}
      </Dialog>
    </>
  );
}
