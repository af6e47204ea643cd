"use client";
// Reveal (after a confirmation) and rotate an endpoint's signing secret.
import { startTransition, useActionState, useState } from "react";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { Dialog } from "@/components/ui/dialog";
import { revealSecretAction, rotateSecretAction, type ActionState } from "@/app/dashboard/webhooks/actions";

type Kind = "reveal" | "rotate";

export function SecretControls({ id, mode, masked }: { id: string; mode: "test" | "live"; masked: string }) {
  const [confirming, setConfirming] = useState<Kind | null>(null);
  const [state, dispatch, pending] = useActionState(async (prev: ActionState, kind: Kind | null) => {
    if (!kind) return {};
    const data = new FormData();
    data.set("id", id);
    data.set("mode", mode);
    return kind === "reveal" ? revealSecretAction(prev, data) : rotateSecretAction(prev, data);
  }, {});
  const run = (kind: Kind) => { setConfirming(null); startTransition(() => dispatch(kind)); };
  return (
    <div className="flex flex-wrap items-center gap-2">
      {state.secret
        ? <><code data-testid="revealed-secret" className="font-mono text-xs break-all text-zinc-800">{state.secret}</code><CopyButton value={state.secret} />
          <Button size="sm" variant="ghost" onClick={() => startTransition(() => dispatch(null))}>Hide</Button></>
        : <code className="font-mono text-xs text-zinc-500">{masked}</code>}
      {!state.secret && <Button size="sm" variant="secondary" pending={pending} onClick={() => setConfirming("reveal")}>Reveal</Button>}
      <Button size="sm" variant="secondary" onClick={() => setConfirming("rotate")}>Rotate</Button>
      {state.ok && <span role="status" className="text-xs text-zinc-500">{state.ok}</span>}
      {state.error && <span role="alert" className="text-xs text-red-600">{state.error}</span>}
      <Dialog open={confirming !== null} onClose={() => setConfirming(null)} labelledBy={`secret-${id}`}>
        <h2 id={`secret-${id}`} className="text-base font-semibold text-zinc-900">{confirming === "rotate" ? "Rotate the signing secret?" : "Reveal the signing secret?"}</h2>
        <p className="mt-2 text-sm text-zinc-600">
          {confirming === "rotate"
            ? "A new secret signs every delivery from now on. The current one keeps signing alongside it for 24 hours, so you can update your server without missing events."
            : "Anyone who sees this secret can forge webhooks to your server. Make sure no one is looking over your shoulder."}
        </p>
        <div className="mt-6 flex justify-end gap-2">
          <Button variant="secondary" onClick={() => setConfirming(null)}>Cancel</Button>
          <Button variant={confirming === "rotate" ? "danger" : "primary"} onClick={() => run(confirming!)} data-testid="confirm-secret">{confirming === "rotate" ? "Rotate secret" : "Reveal secret"}</Button>
        </div>
      </Dialog>
    </div>
  );
}
