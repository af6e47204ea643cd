import type { Metadata } from "next";
import { CopyableValue, middle } from "@/components/dashboard/sessions/values";
import { DataTable, tdClass } from "@/components/ui/table";
import { WalletModeSwitch } from "@/components/dashboard/wallets/mode-switch";
import { EmptyState } from "@/components/ui/empty-state";
import { icons } from "@/components/dashboard/nav-icons";
import { PageHeader } from "@/components/ui/page-header";
import { requireMerchant } from "@/lib/auth/session";
import { dashboardBalances } from "@/lib/dashboard/wallets/balances";
import { walletMode } from "@/lib/dashboard/wallets/mode";

export const metadata: Metadata = { title: "Balances" };

export default async function BalancesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { merchantId } = await requireMerchant();
  const mode = walletMode(await searchParams);
  const rows = await dashboardBalances(merchantId, mode === "live");
  return (
    <>
      <PageHeader
        title="Balances"
        description="The hot wallet's balance per network and currency, with your withdrawals still pending or processing."
        actions={<WalletModeSwitch path="/dashboard/balances" mode={mode} />}
      />
      {rows.length === 0 ? (
        <EmptyState icon={icons.balances} description="No network is enabled in this mode." />
      ) : (
        <DataTable columns={[{ label: "Currency" }, { label: "Hot wallet balance" }, { label: "Pending" }, { label: "Processing" }, { label: "Hot wallet", className: "hidden md:table-cell" }]}>
          {rows.map((b) => (
            <tr key={b.code} data-currency={b.code} className="text-zinc-700">
              <td className={tdClass}><span className="font-medium text-zinc-900">{b.code}</span><p className="text-xs text-zinc-500">{b.asset} · {b.network}</p></td>
              <td className={tdClass} data-testid="balance">{b.balance ?? <span className="text-xs text-red-600">unavailable: {b.error}</span>}</td>
              <td className={tdClass} data-testid="pending">{b.pending}</td>
              <td className={tdClass} data-testid="processing">{b.processing}</td>
              <td className={`${tdClass} hidden md:table-cell`}><CopyableValue value={b.hotWallet} label="hot wallet address" short={middle(b.hotWallet)} /></td>
            </tr>
          ))}
        </DataTable>
      )}
    </>
  );
}
