// What moving a checkout's money cost on chain, on the dashboard's detail pages: each transaction
// sent for it with its network fee — its share when several payments went in one batch sweep.
import { DetailSection } from "@/components/dashboard/checkout-detail-header";
import { TxHash } from "@/components/dashboard/sessions/values";
import { checkoutFees, feeDecimals } from "@/lib/dashboard/fees";
import { explorerTxUrl, networkLabel } from "@/lib/dashboard/sessions/chain-display";
import { formatAmount } from "@/lib/money/format";

const PURPOSE: Record<string, string> = {
  forward: "Forward", gas_funding: "Gas for the receiver", refund: "Refund", excess_refund: "Excess refund", sweep: "Sweep", withdrawal: "Withdrawal",
  energy_delegation: "Energy lent to the receiver", energy_reclaim: "Energy taken back",
};

export async function FeesSection({ checkoutId }: { checkoutId: string }) {
  const fees = await checkoutFees(checkoutId);
  if (fees.length === 0) return null;
  const totals = new Map<string, { units: bigint; decimals: number; symbol: string }>();
  for (const f of fees) {
    const d = feeDecimals(f.network, f.livemode, f.asset);
    const k = `${f.network}:${f.asset}`;
    totals.set(k, { ...d, units: (totals.get(k)?.units ?? 0n) + f.amount });
  }
  const total = [...totals.values()].map((t) => formatAmount(t.units, t, { symbol: true, minDecimals: 0 })).join(" + ");
  return (
    <DetailSection title="Network fees" id="network-fees">
      <div className="rounded-xl bg-white px-5 py-4 shadow-sm ring-1 ring-zinc-200">
        <p className="text-sm text-zinc-700">Charged to you for this checkout: <span className="font-medium text-zinc-900 tabular-nums" data-testid="fees-total">{total}</span></p>
        <ul className="mt-3 divide-y divide-zinc-100 text-sm" data-testid="fees">
          {fees.map((f, i) => {
            const d = feeDecimals(f.network, f.livemode, f.asset);
            return (
              <li key={`${f.txHash}:${i}`} className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1 py-2" data-testid="fee">
                <span className="text-zinc-700">
                  {PURPOSE[f.purpose] ?? f.purpose}
                  {f.sharedBy > 1 && <span className="text-zinc-600"> · your share of one transaction for {f.sharedBy} payments</span>}
                </span>
                <span className="flex min-w-0 items-center gap-3">
                  <span className="font-medium text-zinc-900 tabular-nums" data-value={f.amount.toString()}>{formatAmount(f.amount, d, { symbol: true, minDecimals: 0 })}</span>
                  {f.txHash && <TxHash tx={{ hash: f.txHash, url: explorerTxUrl(f.network, f.livemode, f.txHash), networkLabel: networkLabel(f.network, f.livemode) }} />}
                </span>
              </li>
            );
          })}
        </ul>
      </div>
    </DetailSection>
  );
}
