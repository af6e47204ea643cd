import type { Metadata } from "next";
import { Suspense } from "react";
import { icons } from "@/components/dashboard/nav-icons";
import { CopyableValue, middle } from "@/components/dashboard/sessions/values";
import { WalletModeSwitch } from "@/components/dashboard/wallets/mode-switch";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { formatDateTime } from "@/components/ui/format";
import { PageHeader } from "@/components/ui/page-header";
import { Spinner } from "@/components/ui/spinner";
import { DataTable, tdClass } from "@/components/ui/table";
import { requireMerchant } from "@/lib/auth/session";
import { isOperator } from "@/lib/dashboard/operator";
import { feeDecimals, feesPerDay } from "@/lib/dashboard/fees";
import { networkLabel } from "@/lib/dashboard/sessions/chain-display";
import { formatAmount } from "@/lib/money/format";
import { balanceViews, instanceAccountViews, networkHealthViews, type BalanceView } from "@/lib/dashboard/wallets/ledger";
import { walletMode } from "@/lib/dashboard/wallets/mode";

export const metadata: Metadata = { title: "Balances" };

function Amount({ value, exact, code, testId, strong = false }: { value: string; exact: string; code: string; testId: string; strong?: boolean }) {
  return (
    <span data-testid={testId} data-value={exact} className={`block truncate tabular-nums ${strong ? "text-2xl font-semibold tracking-tight text-zinc-900" : "text-sm font-medium text-zinc-800"}`} title={`${exact} ${code}`}>
      {value}
    </span>
  );
}

function BalanceCard({ b }: { b: BalanceView }) {
  return (
    <li data-currency={b.code} className="min-w-0 rounded-xl bg-white p-5 shadow-sm ring-1 ring-zinc-200">
      <div className="flex items-baseline justify-between gap-2">
        <p className="truncate text-sm font-semibold text-zinc-900">{b.name} <span className="font-normal text-zinc-500">on {b.networkLabel}</span></p>
        <span className="shrink-0 font-mono text-xs text-zinc-500">{b.code}</span>
      </div>
      <p className="mt-3 text-xs font-medium text-zinc-500">Available</p>
      <Amount value={b.available} exact={b.exact.available} code={b.code} testId="available" strong />
      <dl className="mt-3 grid grid-cols-2 gap-x-4 gap-y-2 border-t border-zinc-100 pt-3 text-xs">
        <div className="min-w-0"><dt className="text-zinc-500">Incoming</dt><dd><Amount value={b.incoming} exact={b.exact.incoming} code={b.code} testId="incoming" /></dd></div>
        <div className="min-w-0"><dt className="text-zinc-500">Reserved</dt><dd><Amount value={b.reserved} exact={b.exact.reserved} code={b.code} testId="reserved" /></dd></div>
        {b.settling && (
          <div className="col-span-2 min-w-0"><dt className="text-zinc-500">Settling in your next batch</dt><dd><Amount value={b.settling} exact={b.exact.settling} code={b.code} testId="settling" /></dd></div>
        )}
        {b.feeCode && (
          <div className="col-span-2 min-w-0"><dt className="text-zinc-500">Network fees paid for you</dt><dd><span data-testid="fees" className="text-sm font-medium text-zinc-800 tabular-nums">{b.fees} {b.feeCode}</span></dd></div>
        )}
      </dl>
    </li>
  );
}

const KIND_LABEL: Record<string, string> = {
  hot_wallet: "Hot wallet", custody: "Deposit addresses (custody)", pending: "Seen, not confirmed", receivers: "Receivers", fees: "Fees",
};

async function OperatorSection({ livemode }: { livemode: boolean }) {
  const [accounts, health] = await Promise.all([instanceAccountViews(livemode), networkHealthViews(livemode)]);
  return (
    <>
      <div className="space-y-4">
        {health.length === 0 && <p className="text-sm text-zinc-500">No network with withdrawals is enabled in this mode.</p>}
        {health.map((n) => (
          <article key={n.network} data-network={n.network} className="min-w-0 rounded-xl bg-white p-5 shadow-sm ring-1 ring-zinc-200">
            <div className="flex flex-wrap items-center justify-between gap-2">
              <h3 className="text-sm font-semibold text-zinc-900">{n.label}</h3>
              {n.paused ? <Badge tone="red">Payouts paused</Badge> : <Badge tone="green">Payouts running</Badge>}
            </div>
            <p className="mt-2 flex min-w-0 flex-wrap items-center gap-x-2 text-xs text-zinc-500">
              Hot wallet {n.hotWallet ? <CopyableValue value={n.hotWallet} label="hot wallet address" short={middle(n.hotWallet)} /> : <span>not derived yet</span>}
            </p>
            {n.paused && <p className="mt-2 text-xs break-words text-red-700" data-testid="paused-reason">{n.paused}</p>}
            {n.error ? (
              <p className="mt-3 text-xs break-words text-red-600">Solvency check unavailable: {n.error}</p>
            ) : n.solvency && n.solvency.assets.length === 0 ? (
              <p className="mt-3 text-xs text-zinc-500" data-testid="solvency">Solvent: no merchant is owed anything on {n.label}.</p>
            ) : n.solvency && (
              <ul className="mt-3 space-y-1 text-xs" data-testid="solvency">
                {n.solvency.assets.map((a) => (
                  <li key={a.code} data-asset={a.code} className={`break-words ${a.short ? "font-medium text-red-700" : "text-zinc-600"}`}>
                    <span className="font-medium text-zinc-900">{a.ticker}</span> ({a.code}): holds {a.held}, owes {a.owed}{a.inFlight !== "0" ? `, ${a.inFlight} in flight` : ""}
                    {a.short ? " — short" : " — covered"}
                  </li>
                ))}
              </ul>
            )}
            <p className="mt-3 text-[11px] text-zinc-500">
              Read now at block {n.solvency?.block ?? "—"}{n.checkedAt ? `; the worker's last check ${formatDateTime(n.checkedAt)}` : "; not checked by the worker yet"}.
            </p>
          </article>
        ))}
      </div>
      <h3 className="mt-6 mb-3 text-sm font-semibold text-zinc-900">The instance&apos;s accounts</h3>
      {accounts.length === 0 ? (
        <p className="text-sm text-zinc-500">No entries yet in this mode.</p>
      ) : (
        <DataTable columns={[{ label: "Asset" }, { label: "Account" }, { label: "Balance" }]}>
          {accounts.map((a) => (
            <tr key={`${a.network}-${a.code}-${a.kind}`} className="text-zinc-700">
              <td className={tdClass}><span className="font-medium text-zinc-900">{a.ticker}</span><p className="text-xs text-zinc-500">{a.code} · {a.networkLabel}</p></td>
              <td className={tdClass}>{KIND_LABEL[a.kind] ?? a.kind}</td>
              <td className={`${tdClass} tabular-nums break-all`} title={`${a.balance} ${a.code}`}>{a.balance}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </>
  );
}

/** The network fees charged to the merchant per day over the last 30 days (batched payments pay their share). */
async function FeesPerDay({ merchantId, livemode }: { merchantId: string; livemode: boolean }) {
  const days = await feesPerDay({ merchantId, livemode });
  return (
    <section className="mt-10" aria-labelledby="fees-heading">
      <h2 id="fees-heading" className="text-base font-semibold text-zinc-900">Network fees per day</h2>
      <p className="mt-1 mb-4 text-sm text-zinc-500">What moving your payments and withdrawals cost on chain over the last 30 days (UTC). Payments forwarded together in one transaction each pay an equal share.</p>
      {days.length === 0 ? (
        <p className="rounded-xl bg-white px-5 py-4 text-sm text-zinc-600 shadow-sm ring-1 ring-zinc-200">No network fees in the last 30 days.</p>
      ) : (
        <DataTable columns={[{ label: "Day" }, { label: "Network" }, { label: "Transactions", className: "text-right" }, { label: "Fees", className: "text-right" }]}>
          {days.map((d) => {
            const coin = feeDecimals(d.network, livemode, d.asset);
            return (
              <tr key={`${d.day}:${d.network}:${d.asset}`} data-testid="fees-day">
                <td className={`${tdClass} whitespace-nowrap tabular-nums`}>{d.day}</td>
                <td className={tdClass}>{networkLabel(d.network, livemode)}</td>
                <td className={`${tdClass} text-right tabular-nums`}>{d.transactions}</td>
                <td className={`${tdClass} text-right tabular-nums whitespace-nowrap`} data-value={d.amount.toString()}>{formatAmount(d.amount, coin, { symbol: true, minDecimals: 0 })}</td>
              </tr>
            );
          })}
        </DataTable>
      )}
    </section>
  );
}

export default async function BalancesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { merchantId } = await requireMerchant();
  const mode = walletMode(await searchParams);
  const livemode = mode === "live";
  const [rows, operator] = await Promise.all([balanceViews(merchantId, livemode), isOperator(merchantId)]);
  return (
    <>
      <PageHeader
        title="Balances"
        description="What you own per network and asset: available to withdraw, incoming (seen on chain, not yet confirmed) and reserved for withdrawals in progress."
        actions={<WalletModeSwitch path="/dashboard/balances" mode={mode} />}
      />
      {rows.length === 0 ? (
        <EmptyState icon={icons.balances} title="No balance yet" description="Payments to your deposit addresses appear here once they are seen on chain, and become available when confirmed." />
      ) : (
        <ul className="grid gap-4 sm:grid-cols-2" aria-label="Your balances">
          {rows.map((b) => <BalanceCard key={b.code} b={b} />)}
        </ul>
      )}
      <FeesPerDay merchantId={merchantId} livemode={livemode} />
      {operator && (
        <section className="mt-10" aria-labelledby="instance-heading">
          <h2 id="instance-heading" className="text-base font-semibold text-zinc-900">Instance <Badge tone="indigo">operator only</Badge></h2>
          <p className="mt-1 mb-4 text-sm text-zinc-500">Per network: the shared hot wallet, and whether what the instance holds on chain covers what it owes merchants.</p>
          <Suspense fallback={<p className="flex items-center gap-2 text-sm text-zinc-500"><Spinner /> Reading the chains…</p>}>
            <OperatorSection livemode={livemode} />
          </Suspense>
        </section>
      )}
    </>
  );
}
