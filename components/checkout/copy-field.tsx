"use client";
import { CopyStateIcon, useCopy } from "@/components/ui/use-copy";
import type { MessageKey } from "@/lib/i18n";
import { useI18n } from "@/lib/i18n/react";

type Props = {
  id: string;
  label: string;
  value: string;
  /** what is shown when it differs from what is copied (e.g. "25.00 USDC" for "25") */
  display?: string;
  copyLabel: MessageKey;
  copiedMessage: MessageKey;
  mono?: boolean;
};

/** A value with a copy button; the result is announced politely and shown on the button for 2 s. */
export function CopyField({ id, label, value, display, copyLabel, copiedMessage, mono = false }: Props) {
  const { t } = useI18n();
  const { state, copy } = useCopy(value);

  return (
    <div>
      <p id={`${id}-label`} className="text-xs font-medium text-zinc-500">{label}</p>
      <div className="mt-1 flex items-center gap-2 rounded-lg bg-zinc-50 py-1.5 pr-1.5 pl-3 ring-1 ring-zinc-200 ring-inset">
        <p
          id={id}
          aria-labelledby={`${id}-label ${id}`}
          data-testid={id}
          className={`min-w-0 flex-1 text-sm text-zinc-900 select-all ${mono ? "font-mono break-all" : "font-medium tabular-nums"}`}
        >
          {display ?? value}
        </p>
        <button
          type="button"
          onClick={copy}
          aria-label={t(copyLabel)}
          className="inline-flex shrink-0 items-center gap-1.5 rounded-md bg-white px-2.5 py-1.5 text-xs font-medium text-zinc-700 shadow-xs ring-1 ring-zinc-300 ring-inset hover:bg-zinc-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-[var(--accent)]"
        >
          <CopyStateIcon state={state} size="size-3.5" idleColor="text-zinc-500" />
          <span aria-hidden="true">{state === "copied" ? t("copy.copied") : t("copy.copy")}</span>
        </button>
      </div>
      <p role="status" aria-live="polite" className={state === "failed" ? "mt-1 text-xs text-amber-700" : "sr-only"}>
        {state === "copied" ? t(copiedMessage) : state === "failed" ? t("copy.failed") : ""}
      </p>
    </div>
  );
}
