"use client";
import { buttonClass } from "./button";
import { CopyStateIcon, useCopy } from "./use-copy";

export function CopyButton({ value, label = "Copy" }: { value: string; label?: string }) {
  const { state, copy } = useCopy(value);
  return (
    <button type="button" onClick={copy} className={buttonClass("secondary", "sm")} aria-live="polite">
      <CopyStateIcon state={state} size="size-4" idleColor="text-zinc-500" />
      {state === "copied" ? "Copied" : state === "failed" ? "Select and copy" : label}
    </button>
  );
}
