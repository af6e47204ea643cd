import type { Metadata } from "next";
import { NETWORKS } from "@/lib/config/networks";
import { assetDisplay } from "@/lib/money/format";
import Form from "next/form";
import Link from "next/link";
import { icons } from "@/components/dashboard/nav-icons";
import { CopyableValue, middle, RelativeTime, TxHash } from "@/components/dashboard/sessions/values";
import { DataTable, tdClass } from "@/components/ui/table";
import { WalletModeSwitch } from "@/components/dashboard/wallets/mode-switch";
import { VolumeChart } from "@/components/dashboard/wallets/volume-chart";
import { Badge } from "@/components/ui/badge";
import { buttonClass } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { inputClass } from "@/components/ui/field";
import { PageHeader } from "@/components/ui/page-header";
import { requireMerchant } from "@/lib/auth/session";
import { hrefWith, one, walletMode } from "@/lib/dashboard/wallets/mode";
import { depositCurrencies, depositVolume, listDepositsForDashboard } from "@/lib/dashboard/wallets/queries";

/** "USDC on Ethereum (eUSDC)": the asset's display name first, the currency code secondary. */
function codeLabel(code: string): string {
  const net = NETWORKS.find((n) => n.assets.some((a) => a.code === code));
  return net ? `${assetDisplay({ network: net.name, code }).symbol} on ${net.displayName} (${code})` : code;
}

export const metadata: Metadata = { title: "Deposits" };

const PATH = "/dashboard/deposits";
const TONE = { seen: "amber", confirmed: "green", reverted: "red" } as const;

export default async function DepositsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { merchantId } = await requireMerchant();
  const params = await searchParams;
  const mode = walletMode(params);
  const scope = { merchantId, livemode: mode === "live" };
  const filters = { currency: one(params, "currency"), status: one(params, "status"), q: one(params, "q") };
  const [rows, currencies] = await Promise.all([listDepositsForDashboard(scope, filters), depositCurrencies(scope)]);
  const chartCurrency = filters.currency || currencies[0] || "";
  const volume = chartCurrency ? await depositVolume(scope, chartCurrency) : [];
  const now = new Date();
  return (
    <>
      <PageHeader
        title="Deposits"
        description="Every credit to your receivers: session payments and deposits to permanent addresses."
        actions={<WalletModeSwitch path={PATH} mode={mode} />}
      />
      {chartCurrency && <div className="mb-6"><VolumeChart points={volume} currency={codeLabel(chartCurrency)} /></div>}
      <Form action={PATH} className="mb-4 flex flex-wrap items-end gap-2" role="search">
        <input type="hidden" name="mode" value={mode} />
        <div>
          <label htmlFor="currency" className="block text-xs font-medium text-zinc-600">Currency</label>
          <select id="currency" name="currency" defaultValue={filters.currency} className={inputClass}>
            <option value="">All</option>
            {currencies.map((c) => <option key={c} value={c}>{codeLabel(c)}</option>)}
          </select>
        </div>
        <div>
          <label htmlFor="status" className="block text-xs font-medium text-zinc-600">Status</label>
          <select id="status" name="status" defaultValue={filters.status} className={inputClass}>
            <option value="">All</option>
            <option value="seen">Seen</option>
            <option value="confirmed">Confirmed</option>
            <option value="reverted">Reverted</option>
          </select>
        </div>
        <div className="min-w-[16rem] flex-1">
          <label htmlFor="q" className="block text-xs font-medium text-zinc-600">Address or transaction</label>
          <input id="q" name="q" defaultValue={filters.q} className={inputClass} />
        </div>
        <button type="submit" className={buttonClass("secondary")}>Filter</button>
        <a href={hrefWith(`${PATH}/export`, { mode, ...filters })} className={buttonClass("ghost")} download>Export CSV</a>
      </Form>
      {rows.length === 0 ? (
        <EmptyState icon={icons.deposits} title="No deposits" description="Deposits appear here as soon as the watcher sees them on chain." />
      ) : (
        <DataTable columns={[{ label: "Amount" }, { label: "Status" }, { label: "To" }, { label: "Transaction", className: "hidden md:table-cell" }, { label: "Seen", className: "hidden sm:table-cell" }]}>
          {rows.map((d) => (
            <tr key={d.id} data-tx={d.txHash} className="text-zinc-700">
              <td className={tdClass}>
                <span className="font-medium whitespace-nowrap text-zinc-900" title={`${d.amountExact} ${d.asset} (${d.currency})`}>{d.amount} {d.asset}</span>
                <p className="text-xs text-zinc-500">{d.networkLabel}</p>
              </td>
              <td className={tdClass}>
                <Badge tone={TONE[d.status]}>{d.status}</Badge>
                {d.belowMinimum && <p className="mt-1"><Badge tone="red">below minimum</Badge></p>}
              </td>
              <td className={tdClass}>
                <CopyableValue value={d.to} label={`address ${d.to}`} short={middle(d.to)} />
                <p className="text-xs text-zinc-500">
                  {d.sessionId ? <Link href={`/dashboard/sessions/${d.sessionId}`} className="text-indigo-600 hover:underline">session</Link>
                    : d.customer ? `customer ${d.customer}` : "deposit address"}
                </p>
              </td>
              <td className={`${tdClass} hidden md:table-cell`}><TxHash tx={d.tx} /></td>
              <td className={`${tdClass} hidden sm:table-cell`}><RelativeTime date={d.createdAt} now={now} /></td>
            </tr>
          ))}
        </DataTable>
      )}
    </>
  );
}
