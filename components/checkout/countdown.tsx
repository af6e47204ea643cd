"use client";
import { formatCountdown } from "@/lib/i18n";
import { useI18n } from "@/lib/i18n/react";

/** "Expires in 12:34"; amber in the last five minutes. Not a live region: it would speak every second. */
export function Countdown({ secondsLeft }: { secondsLeft: number }) {
  const { t } = useI18n();
  const urgent = secondsLeft < 300;
  return (
    <p
      data-testid="countdown"
      title={t("checkout.expiresAt")}
      className={`inline-flex items-center gap-1.5 rounded-full px-2.5 py-1 text-xs font-medium tabular-nums ring-1 ring-inset ${
        urgent ? "bg-amber-50 text-amber-800 ring-amber-600/20" : "bg-zinc-50 text-zinc-600 ring-zinc-500/15"
      }`}
    >
      <svg className="size-3.5" viewBox="0 0 20 20" fill="none" stroke="currentColor" strokeWidth="1.75" strokeLinecap="round" aria-hidden="true">
        <circle cx="10" cy="10" r="7.25" /><path d="M10 6v4l2.5 1.5" />
      </svg>
      {t("checkout.expiresIn", { time: formatCountdown(secondsLeft) })}
    </p>
  );
}
