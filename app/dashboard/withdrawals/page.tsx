import type { Metadata } from "next";
import { icons } from "@/components/dashboard/nav-icons";
import { CopyableValue, middle, RelativeTime, TxHash } from "@/components/dashboard/sessions/values";
import { DataTable, tdClass } from "@/components/ui/table";
import { WalletModeSwitch } from "@/components/dashboard/wallets/mode-switch";
import { WithdrawalForm } from "@/components/dashboard/wallets/withdrawal-form";
import { Badge } from "@/components/ui/badge";
import { buttonClass } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requireMerchant } from "@/lib/auth/session";
import { RoleNotice } from "@/components/dashboard/role-notice";
import { refusal } from "@/lib/team/roles";
import { listCurrencies } from "@/lib/currencies/list";
import { supportsDepositAddresses } from "@/lib/currencies/resolve";
import { networkSpec } from "@/lib/config/networks";
import { config } from "@/lib/config";
import { assetDisplay } from "@/lib/money/format";
import { isOperator } from "@/lib/dashboard/operator";
import { assetLabel, availableByCode } from "@/lib/dashboard/wallets/ledger";
import { walletMode } from "@/lib/dashboard/wallets/mode";
import { PayoutsPausedBanner } from "@/components/dashboard/wallets/payouts-paused";
import { listWithdrawalsForDashboard } from "@/lib/dashboard/wallets/queries";
import { cancelWithdrawalAction } from "./actions";

export const metadata: Metadata = { title: "Withdrawals" };

const PATH = "/dashboard/withdrawals";
const TONE = { pending: "amber", processing: "indigo", processed: "green", failed: "red" } as const;

export default async function WithdrawalsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { merchantId, role } = await requireMerchant();
  const denied = refusal(role, "withdrawals:write");
  const mode = walletMode(await searchParams);
  const livemode = mode === "live";
  const rows = await listWithdrawalsForDashboard({ merchantId, livemode });
  const [available, operator] = await Promise.all([availableByCode(merchantId, livemode), isOperator(merchantId)]);
  const currencies = listCurrencies(livemode)
    .filter((c) => c.enabled && supportsDepositAddresses(networkSpec(c.network)?.family ?? ""))
    .map((c) => {
      const l = assetLabel(c.network, c.code);
      const symbol = assetDisplay({ network: c.network, code: c.code }).symbol;
      return { code: c.code, symbol, label: `${symbol} on ${l.networkLabel} (${c.code})`, family: networkSpec(c.network)?.family ?? "evm", decimals: c.decimals, available: available[c.code] ?? "0" };
    })
    // what the merchant has comes first
    .sort((a, b) => Number(b.available !== "0") - Number(a.available !== "0"));
  const now = new Date();
  return (
    <>
      <PageHeader title="Withdrawals" description="Payouts of what you have available, and sweeps of your deposit addresses into the hot wallet." actions={<WalletModeSwitch path={PATH} mode={mode} />} />
      <RoleNotice reason={denied} />
      {/* the layout shows the instance mode's banner; another mode's shows here */}
      {mode !== config().mode && <PayoutsPausedBanner livemode={livemode} operator={operator} className="mb-6" />}
      <section aria-labelledby="new-withdrawal" className="mb-8 max-w-2xl rounded-xl bg-white p-5 shadow-sm ring-1 ring-zinc-200">
        <h2 id="new-withdrawal" className="mb-4 text-base font-semibold text-zinc-900">New withdrawal</h2>
        <WithdrawalForm mode={mode} currencies={currencies} disabledReason={denied} />
      </section>
      {rows.length > 0 && (
        <div className="mb-2 flex justify-end">
          <a href={`${PATH}/export?mode=${mode}`} className={buttonClass("ghost")} download>Export CSV</a>
        </div>
      )}
      {rows.length === 0 ? (
        <EmptyState icon={icons.withdrawals} description="Withdrawals you request here or through POST /v1/withdrawal/send appear here, with their status and transaction hash." />
      ) : (
        <DataTable columns={[{ label: "ID" }, { label: "Amount" }, { label: "Status" }, { label: "Destination" }, { label: "Transaction", className: "hidden md:table-cell" }, { label: "Created", className: "hidden sm:table-cell" }]}>
          {rows.map((w) => (
            <tr key={w.id} data-withdrawal-id={w.id} className="text-zinc-700">
              <td className={tdClass}>#{w.id}<p className="text-xs text-zinc-500">{w.kind === "sweep" ? "sweep" : w.queryId}</p></td>
              <td className={tdClass}><span className="font-medium whitespace-nowrap text-zinc-900" title={`${w.amountExact || w.amount} ${w.asset} (${w.currency})`}>{w.amount} {w.asset}</span><p className="text-xs text-zinc-500">{w.networkLabel}</p></td>
              <td className={tdClass}>
                <Badge tone={TONE[w.status]}>{w.status}</Badge>
                {w.reason && <p className="mt-1 max-w-[18rem] text-xs text-zinc-500">{w.reason}</p>}
                {w.status === "pending" && !denied && (
                  <form action={cancelWithdrawalAction} className="mt-1">
                    <input type="hidden" name="id" value={w.id} />
                    <button type="submit" className={buttonClass("ghost", "sm")}>Cancel</button>
                  </form>
                )}
              </td>
              <td className={tdClass}><CopyableValue value={w.destination} label="destination" short={middle(w.destination)} /></td>
              <td className={`${tdClass} hidden md:table-cell`}>{w.tx ? <TxHash tx={w.tx} /> : <span className="text-zinc-500">—</span>}</td>
              <td className={`${tdClass} hidden sm:table-cell`}><RelativeTime date={w.createdAt} now={now} /></td>
            </tr>
          ))}
        </DataTable>
      )}
    </>
  );
}
