import type { Metadata } from "next";
import Form from "next/form";
import { icons } from "@/components/dashboard/nav-icons";
import { CopyableValue, RelativeTime } from "@/components/dashboard/sessions/values";
import { DataTable, tdClass } from "@/components/ui/table";
import { WalletModeSwitch } from "@/components/dashboard/wallets/mode-switch";
import { buttonClass } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { inputClass } from "@/components/ui/field";
import { PageHeader } from "@/components/ui/page-header";
import { requireMerchant } from "@/lib/auth/session";
import { one, walletMode } from "@/lib/dashboard/wallets/mode";
import { listDepositAddressesForDashboard } from "@/lib/dashboard/wallets/queries";

export const metadata: Metadata = { title: "Deposit addresses" };

const PATH = "/dashboard/deposit-addresses";
const KIND_LABEL = { new: "address/new", customer: "wallet/address", v2: "v2 create" } as const;

export default async function DepositAddressesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { merchantId } = await requireMerchant();
  const params = await searchParams;
  const mode = walletMode(params);
  const q = one(params, "q");
  const rows = await listDepositAddressesForDashboard({ merchantId, livemode: mode === "live" }, q);
  const now = new Date();
  return (
    <>
      <PageHeader
        title="Deposit addresses"
        description="Permanent addresses per customer, created with the API (address/new, wallet/address, channels, v2 deposit_address). Deposits to them are credited and reported like session payments."
        actions={<WalletModeSwitch path={PATH} mode={mode} />}
      />
      <Form action={PATH} className="mb-4 flex max-w-lg gap-2" role="search">
        <input type="hidden" name="mode" value={mode} />
        <label htmlFor="q" className="sr-only">Customer, address or title</label>
        <input id="q" name="q" defaultValue={q} placeholder="Customer, address or title" className={inputClass} />
        <button type="submit" className={buttonClass("secondary")}>Search</button>
      </Form>
      {rows.length === 0 ? (
        <EmptyState icon={icons.depositAddresses} title={q ? "No matching addresses" : "No deposit addresses yet"}
          description={q ? `Nothing matches “${q}”.` : "Create one with POST /v1/address/new, POST /wallet/address or POST /v2/deposit_address/create."} />
      ) : (
        <DataTable columns={[{ label: "QR" }, { label: "Address" }, { label: "Customer" }, { label: "Received" }, { label: "Title", className: "hidden md:table-cell" }, { label: "Created", className: "hidden sm:table-cell" }]}>
          {rows.map((r) => (
            <tr key={r.id} data-address={r.address} className="text-zinc-700">
              <td className={tdClass}>
                <a href={`/qr/${r.id}`} target="_blank" rel="noopener noreferrer" title="Open the QR code">
                  <img src={`/qr/${r.id}`} alt={`QR code of ${r.address}`} width={56} height={56} className="rounded ring-1 ring-zinc-200" />
                </a>
              </td>
              <td className={tdClass}>
                <CopyableValue value={r.address} label={`address ${r.address}`} />
                <p className="mt-1 text-xs text-zinc-500">{r.asset} · {r.networkLabel} · {KIND_LABEL[r.kind]} <span className="font-mono">({r.currency})</span></p>
              </td>
              <td className={tdClass}>{r.customer ?? <span className="text-zinc-500">—</span>}</td>
              <td className={tdClass}>
                <span className="font-medium text-zinc-900">{r.received} {r.asset}</span>
                <p className="text-xs text-zinc-500">{r.deposits} deposit{r.deposits === 1 ? "" : "s"}{r.minAmount ? ` · min ${r.minAmount}` : ""}</p>
              </td>
              <td className={`${tdClass} hidden max-w-[14rem] truncate md:table-cell`}>{r.title ?? ""}</td>
              <td className={`${tdClass} hidden sm:table-cell`}><RelativeTime date={r.createdAt} now={now} /></td>
            </tr>
          ))}
        </DataTable>
      )}
    </>
  );
}
