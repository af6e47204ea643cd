import type { Metadata } from "next";
import Link from "next/link";
import { icons } from "@/components/dashboard/nav-icons";
import { PageHeader } from "@/components/ui/page-header";
import { listApiKeys } from "@/lib/api-keys/keys";
import { requireMerchant } from "@/lib/auth/session";
import { getMerchantSettings } from "@/lib/merchants/settings";
import { VolumeChart } from "@/components/dashboard/wallets/volume-chart";
import { WalletModeSwitch } from "@/components/dashboard/wallets/mode-switch";
import { needsAttention, type AttentionItem } from "@/lib/dashboard/needs-attention";
import { hasCheckouts, revenueOverview } from "@/lib/dashboard/revenue";
import { walletMode } from "@/lib/dashboard/wallets/mode";

export const metadata: Metadata = { title: "Overview" };

function Step({ done, title, description, href, cta }: { done: boolean; title: string; description: string; href: string; cta: string }) {
  return (
    <li className="flex items-start gap-3 px-5 py-4">
      <span className={`mt-0.5 flex size-5 shrink-0 items-center justify-center rounded-full ${done ? "bg-emerald-500 text-white" : "ring-1 ring-zinc-300 ring-inset"}`}>
        {done && <svg className="size-3" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true"><path fillRule="evenodd" d="M16.704 4.153a.75.75 0 0 1 .143 1.052l-8 10.5a.75.75 0 0 1-1.127.075l-4.5-4.5a.75.75 0 0 1 1.06-1.06l3.894 3.893 7.48-9.817a.75.75 0 0 1 1.05-.143Z" clipRule="evenodd" /></svg>}
        <span className="sr-only">{done ? "Done:" : "To do:"}</span>
      </span>
      <div className="min-w-0 flex-1">
        <p className={`text-sm font-medium ${done ? "text-zinc-500" : "text-zinc-900"}`}>{title}</p>
        <p className="text-sm text-zinc-500">{description}</p>
      </div>
      <Link href={href} className="shrink-0 rounded text-sm font-medium text-indigo-600 hover:text-indigo-500 focus-visible:outline-2 focus-visible:outline-indigo-600">{cta}</Link>
    </li>
  );
}

const EXCEPTION: Record<string, string> = { underpaid: "Underpaid", overpaid: "Overpaid", paid_late: "Paid late", mixed: "Several networks", blocked: "Blocked" };
const ACTION: Record<AttentionItem["actions"][number], string> = { accept: "accept as paid", retry: "retry settlement", refund: "refund" };

function what(item: AttentionItem): string {
  if (item.exception) return EXCEPTION[item.exception] ?? item.exception;
  if (item.actions.includes("accept")) return "Partly paid";
  if (item.status === "expired") return "Expired with a payment";
  if (item.status === "processing") return "Settlement waits";
  return "Payment after the end";
}

function Attention({ items, more }: { items: AttentionItem[]; more: boolean }) {
  return (
    <section className="mt-8" aria-labelledby="needs-attention">
      <h2 id="needs-attention" className="mb-3 text-sm font-semibold text-zinc-900">
        Needs attention{items.length > 0 && <span className="ml-2 rounded-full bg-amber-100 px-2 py-0.5 text-xs font-medium text-amber-900">{items.length}{more ? "+" : ""}</span>}
      </h2>
      {items.length === 0 ? (
        <p className="rounded-xl bg-white px-5 py-4 text-sm text-zinc-600 shadow-sm ring-1 ring-zinc-200" data-testid="attention-empty">
          Nothing to resolve: no partly paid, late, stuck or refundable payments.
        </p>
      ) : (
        <ul className="divide-y divide-zinc-100 rounded-xl bg-white shadow-sm ring-1 ring-zinc-200" data-testid="needs-attention">
          {items.map((i) => (
            <li key={i.id} className="px-5 py-4">
              <Link href={`${i.href}#exception-title`} className="group block rounded focus-visible:outline-2 focus-visible:outline-indigo-600">
                <div className="flex flex-wrap items-baseline justify-between gap-x-3 gap-y-1">
                  <p className="min-w-0 text-sm font-medium break-words text-zinc-900 group-hover:text-indigo-600">{i.title}</p>
                  <span className="shrink-0 rounded-md bg-amber-50 px-2 py-0.5 text-xs font-medium text-amber-900 ring-1 ring-amber-600/20 ring-inset">{what(i)}</span>
                </div>
                <p className="mt-1 text-sm text-zinc-600">
                  {i.kind === "payment" ? "Payment" : "Session"} for {i.due}
                  {i.onReceivers.length > 0 && <> · on its receiver: {i.onReceivers.join(", ")}</>}
                </p>
                {i.waiting.length > 0 && <p className="mt-1 text-sm text-zinc-600">{i.waiting.join(" ")}</p>}
                {i.actions.length > 0 && (
                  <p className="mt-1 text-sm font-medium text-indigo-600">
                    Resolve: {i.actions.map((a) => ACTION[a]).join(" or ")} →
                  </p>
                )}
              </Link>
            </li>
          ))}
        </ul>
      )}
      {more && <p className="mt-2 text-xs text-zinc-500">Showing the most recent; resolve these to see older ones.</p>}
    </section>
  );
}

export default async function OverviewPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { merchantId, merchantName } = await requireMerchant();
  const mode = walletMode(await searchParams);
  const livemode = mode === "live";
  const [keys, settings, attention, revenue, anyCheckout] = await Promise.all([
    listApiKeys(merchantId), getMerchantSettings(merchantId), needsAttention(merchantId, livemode), revenueOverview(merchantId, livemode), hasCheckouts(merchantId, livemode),
  ]);
  const active = keys.filter((k) => k.revokedAt === null);
  const activeTest = active.filter((k) => !k.livemode).length;
  const activeLive = active.length - activeTest;
  const settlementCount = Object.keys(settings?.settlement ?? {}).length;

  return (
    <>
      <PageHeader title={`Welcome, ${merchantName}`} description="Accept stablecoin payments on your own infrastructure." actions={<WalletModeSwitch path="/dashboard" mode={mode} />} />

      <Attention items={attention.items} more={attention.more} />

      <section className="mt-8" aria-labelledby="revenue">
        <h2 id="revenue" className="mb-3 text-sm font-semibold text-zinc-900">Revenue, last {revenue.days} days</h2>
        <div className="grid gap-4 lg:grid-cols-3">
          <div className="lg:col-span-2">
            <VolumeChart points={revenue.usdPerDay} currency="USD" caption="Paid checkouts in US-dollar stablecoins per day" />
          </div>
          <div className="overflow-x-auto rounded-xl bg-white shadow-sm ring-1 ring-zinc-200">
            <table className="w-full text-sm" data-testid="revenue-table">
              <caption className="px-4 pt-3 text-left text-sm font-medium text-zinc-900">{revenue.count} paid checkout{revenue.count === 1 ? "" : "s"}</caption>
              <thead>
                <tr className="text-left text-xs text-zinc-500">
                  <th scope="col" className="px-4 py-2 font-medium">Asset</th>
                  <th scope="col" className="px-4 py-2 text-right font-medium">Paid</th>
                  <th scope="col" className="px-4 py-2 text-right font-medium">Amount</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-zinc-100">
                {revenue.byAsset.length === 0 ? (
                  <tr><td colSpan={3} className="px-4 py-3 text-zinc-600">No paid checkouts yet in {mode} mode.</td></tr>
                ) : revenue.byAsset.map((r) => (
                  <tr key={`${r.network}-${r.asset}`}>
                    <td className="px-4 py-2 text-zinc-900">{r.asset} <span className="text-zinc-500">on {r.networkLabel}</span></td>
                    <td className="px-4 py-2 text-right tabular-nums text-zinc-700">{r.count}</td>
                    <td className="px-4 py-2 text-right tabular-nums text-zinc-900">{r.amount}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      </section>

      <div className="mt-8 grid gap-4 sm:grid-cols-2">
        <Link href="/dashboard/api-keys" className="group rounded-xl bg-white p-5 shadow-sm ring-1 ring-zinc-200 transition hover:ring-zinc-300 focus-visible:outline-2 focus-visible:outline-indigo-600">
          <div className="flex items-center gap-2 text-sm font-medium text-zinc-500"><span className="text-zinc-400">{icons.apiKeys}</span>Active API keys</div>
          <p className="mt-2 text-3xl font-semibold tracking-tight text-zinc-900" data-testid="active-key-count">{active.length}</p>
          <p className="mt-1 text-sm text-zinc-500">{activeTest} test · {activeLive} live</p>
        </Link>
        <a href="/docs/api" className="group rounded-xl bg-white p-5 shadow-sm ring-1 ring-zinc-200 transition hover:ring-zinc-300 focus-visible:outline-2 focus-visible:outline-indigo-600">
          <div className="flex items-center gap-2 text-sm font-medium text-zinc-500"><span className="text-zinc-400">{icons.docs}</span>API reference</div>
          <p className="mt-2 text-base font-semibold text-zinc-900">Build your integration</p>
          <p className="mt-1 text-sm text-zinc-500">Sessions, payments, deposit addresses and webhooks, with examples. <span className="font-medium text-indigo-600 group-hover:text-indigo-500">Read the docs →</span></p>
        </a>
      </div>

      <section className="mt-8" aria-labelledby="get-started">
        <h2 id="get-started" className="mb-3 text-sm font-semibold text-zinc-900">Get started</h2>
        <ol className="divide-y divide-zinc-100 rounded-xl bg-white shadow-sm ring-1 ring-zinc-200">
          <Step done={activeTest > 0} title="Create a test API key" description="Authenticate your server's requests to the API." href="/dashboard/api-keys" cta="API keys" />
          <Step done={settlementCount > 0} title="Set your settlement addresses" description="Where confirmed payments are forwarded, per network." href="/dashboard/settings" cta="Settings" />
          <Step done={anyCheckout} title="Create your first checkout session" description="POST /v1/sessions, then send the payer to the session's url." href="/docs/api" cta="API docs" />
        </ol>
      </section>
    </>
  );
}
