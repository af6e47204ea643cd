"use client";
import { useEffect, useState } from "react";
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
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  useEffect(() => {
    if (state === "idle") return;
    const timer = setTimeout(() => setState("idle"), 2000);
    return () => clearTimeout(timer);
  }, [state]);

  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setState("copied");
    } catch {
      setState("failed"); // clipboard blocked: the value stays selectable
    }
  }

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
          {state === "copied" ? (
            <svg className="size-3.5 text-emerald-600" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true">
              <path fillRule="evenodd" d="M16.704 4.153a.75.75 0 0 1 .143 1.052l-8 10.5a.75.75 0 0 1-1.127.075l-4.5-4.5a.75.75 0 0 1 1.06-1.06l3.894 3.893 7.48-9.817a.75.75 0 0 1 1.05-.143Z" clipRule="evenodd" />
            </svg>
          ) : (
            <svg className="size-3.5 text-zinc-500" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true">
              <path d="M7 3.5A1.5 1.5 0 0 1 8.5 2h3.879a1.5 1.5 0 0 1 1.06.44l3.122 3.12A1.5 1.5 0 0 1 17 6.622V12.5a1.5 1.5 0 0 1-1.5 1.5h-1v-3.379a3 3 0 0 0-.879-2.121L10.5 5.379A3 3 0 0 0 8.379 4.5H7v-1Z" />
              <path d="M4.5 6A1.5 1.5 0 0 0 3 7.5v9A1.5 1.5 0 0 0 4.5 18h7a1.5 1.5 0 0 0 1.5-1.5v-5.879a1.5 1.5 0 0 0-.44-1.06L9.44 6.439A1.5 1.5 0 0 0 8.378 6H4.5Z" />
            </svg>
          )}
          <span aria-hidden="true">{state === "copied" ? t("copy.copied") : t("copy.copy")}</span>
        </button>
      </div>
      <p role="status" aria-live="polite" className={state === "failed" ? "mt-1 text-xs text-amber-700" : "sr-only"}>
        {state === "copied" ? t(copiedMessage) : state === "failed" ? t("copy.failed") : ""}
      </p>
    </div>
  );
}
