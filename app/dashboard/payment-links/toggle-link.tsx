"use client";
import { startTransition, useActionState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { togglePaymentLinkAction } from "./actions";

/** Deactivate (the link opens nothing more; payments already opened go on) or activate again. */
export function TogglePaymentLink({ id, active, title }: { id: string; active: boolean; title: string }) {
  const [state, dispatch, pending] = useActionState(togglePaymentLinkAction, {});
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    startTransition(() => dispatch(data));
  }
  return (
    <form onSubmit={submit} className="inline">
      <input type="hidden" name="id" value={id} />
      <input type="hidden" name="active" value={String(!active)} />
      <Button type="submit" variant="ghost" size="sm" pending={pending} pendingLabel={active ? "Deactivating…" : "Activating…"}>
        {active ? "Deactivate" : "Activate"}<span className="sr-only"> {title}</span>
      </Button>
      {state.error && <span role="alert" className="ml-2 text-xs text-red-700">{state.error}</span>}
    </form>
  );
}
