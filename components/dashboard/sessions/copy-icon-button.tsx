"use client";
import { CopyStateIcon, useCopy } from "@/components/ui/use-copy";

/**
 * A compact copy button for ids, addresses and hashes inside tables and lists, where the labelled
 * CopyButton of components/ui would crowd the row. `label` names what is copied, for screen readers.
 */
export function CopyIconButton({ value, label }: { value: string; label: string }) {
  const { state, copy } = useCopy(value);
  const text = state === "copied" ? "Copied" : state === "failed" ? "Copy failed, select the text instead" : label;
  return (
    <button
      type="button"
      onClick={copy}
      title={state === "idle" ? label : text}
      className="inline-flex size-6 shrink-0 items-center justify-center rounded-md text-zinc-400 hover:bg-zinc-100 hover:text-zinc-700 focus-visible:outline-2 focus-visible:outline-indigo-600"
    >
      <span className="sr-only" aria-live="polite">{text}</span>
      <CopyStateIcon state={state} size="size-3.5" />
    </button>
  );
}
