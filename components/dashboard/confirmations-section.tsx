// A checkout's payments with their confirmation progress on the dashboard's detail pages
// ("2 of 12 confirmations · about 2 min left"), refreshed while one is still confirming.
import { RefreshWhile } from "@/components/dashboard/refresh-while";
import { DetailSection } from "@/components/dashboard/checkout-detail-header";
import { CopyableValue, middle } from "@/components/dashboard/sessions/values";
import { checkoutConfirmations } from "@/lib/checkout/confirmations";
import { formatDecimal } from "@/lib/money/format";

export function etaText(seconds: number): string {
  return seconds >= 90 ? `about ${Math.round(seconds / 60)} min left` : `about ${Math.max(1, Math.ceil(seconds))} s left`;
}

export async function ConfirmationsSection({ checkoutId }: { checkoutId: string }) {
  const items = await checkoutConfirmations(checkoutId);
  if (items.length === 0) return null;
  const pending = items.some((d) => d.status !== "confirmed");
  return (
    <DetailSection title="Confirmations" id="confirmations">
      <RefreshWhile active={pending} />
      <ul className="space-y-2" data-testid="confirmation-progress">
        {items.map((d) => {
          const done = d.status === "confirmed";
          return (
            <li key={`${d.network}:${d.txHash}`} data-testid="deposit-progress" data-status={d.status} className="rounded-lg bg-white px-4 py-3 shadow-sm ring-1 ring-zinc-200">
              <div className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1 text-sm">
                <span className="font-medium text-zinc-900 tabular-nums" title={`${d.amount} ${d.symbol}`}>
                  {formatDecimal(d.amount, { maxDecimals: 8 })} {d.symbol} <span className="font-normal text-zinc-600">· {d.networkName}{d.late ? " · after it ended" : ""}</span>
                </span>
                <span className="text-zinc-700 tabular-nums" data-testid="confirmations">
                  {done ? `Confirmed (${d.required} of ${d.required})` : `${d.confirmations} of ${d.required} confirmations`}
                  {!done && d.secondsLeft !== null && <span className="text-zinc-600"> · {etaText(d.secondsLeft)}</span>}
                </span>
              </div>
              <div className="mt-2 h-1.5 overflow-hidden rounded-full bg-zinc-100" role="progressbar" aria-label={`${d.confirmations} of ${d.required} confirmations`}
                aria-valuemin={0} aria-valuemax={d.required} aria-valuenow={d.confirmations}>
                <div className={`h-full rounded-full ${done ? "bg-emerald-500" : "bg-indigo-500"}`} style={{ width: `${done ? 100 : Math.max(4, Math.round((d.confirmations / d.required) * 100))}%` }} />
              </div>
              <div className="mt-1.5 text-xs text-zinc-600"><CopyableValue value={d.txHash} label="transaction hash" short={middle(d.txHash, 10, 8)} /></div>
            </li>
          );
        })}
      </ul>
    </DetailSection>
  );
}
