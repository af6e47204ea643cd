"use client";
// "2 of 12 confirmations · about 2 min left" for each payment the checkout received, from
// /checkout/{id}/progress (lib/checkout/confirmations). A payment's confirmations grow without the
// checkout changing, so this polls on its own while one is still confirming (every 3 s; it stops
// once all are confirmed), whatever the session's own updates do.
import { useQuery } from "@tanstack/react-query";
import { useI18n } from "@/lib/i18n/react";

export type ProgressItem = {
  txHash: string; network: string; networkName: string; amount: string; symbol: string;
  status: "seen" | "confirmed"; late: boolean; confirmations: number; required: number; secondsLeft: number | null;
};

async function fetchProgress(id: string, signal: AbortSignal): Promise<ProgressItem[]> {
  const res = await fetch(`/checkout/${encodeURIComponent(id)}/progress`, { cache: "no-store", signal, headers: { Accept: "application/json" } });
  if (!res.ok) throw new Error(String(res.status));
  return ((await res.json()) as { deposits: ProgressItem[] }).deposits;
}

export const POLL_MS = 3000;

export function ConfirmationProgress({ checkoutId }: { checkoutId: string }) {
  const { t, amount } = useI18n();
  const q = useQuery({
    queryKey: ["progress", checkoutId],
    queryFn: ({ signal }) => fetchProgress(checkoutId, signal),
    // none yet (the session saw one a moment ago) or one still confirming: keep asking
    refetchInterval: (query) => (query.state.data && query.state.data.length > 0 && query.state.data.every((d) => d.status === "confirmed") ? false : POLL_MS),
    refetchIntervalInBackground: true,
  });
  const items = (q.data ?? []).filter((d) => !d.late);
  if (items.length === 0) return null;
  const eta = (s: number) => (s >= 90 ? t("progress.etaMinutes", { minutes: Math.round(s / 60) }) : t("progress.etaSeconds", { seconds: Math.max(1, Math.ceil(s)) }));
  return (
    <ul className="space-y-2 text-left" data-testid="confirmation-progress" aria-label={t("progress.title")}>
      {items.map((d) => {
        const done = d.status === "confirmed";
        const pct = Math.round((d.confirmations / d.required) * 100);
        return (
          <li key={`${d.network}:${d.txHash}`} className="rounded-lg bg-zinc-50 px-3 py-2.5 ring-1 ring-zinc-200 ring-inset" data-testid="deposit-progress" data-status={d.status}>
            <div className="flex flex-wrap items-baseline justify-between gap-x-3 gap-y-0.5 text-xs">
              <span className="font-medium text-zinc-900 tabular-nums">{amount(d.amount)} {d.symbol} <span className="font-normal text-zinc-600">· {d.networkName}</span></span>
              <span className="text-zinc-700 tabular-nums" data-testid="confirmations">
                {done ? t("progress.confirmed") : t("progress.confirmations", { count: d.confirmations, required: d.required })}
              </span>
            </div>
            <div className="mt-2 h-1.5 overflow-hidden rounded-full bg-zinc-200" role="progressbar" aria-label={t("progress.confirmations", { count: d.confirmations, required: d.required })}
              aria-valuemin={0} aria-valuemax={d.required} aria-valuenow={d.confirmations}>
              <div className="h-full rounded-full bg-[var(--accent)] transition-[width]" style={{ width: `${done ? 100 : Math.max(4, pct)}%` }} />
            </div>
            {!done && d.secondsLeft !== null && <p className="mt-1.5 text-xs text-zinc-600" data-testid="eta">{eta(d.secondsLeft)}</p>}
          </li>
        );
      })}
    </ul>
  );
}
