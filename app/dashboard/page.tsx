import type { Metadata } from "next";
import Link from "next/link";
import { icons } from "@/components/dashboard/nav-icons";
import { PageHeader } from "@/components/ui/page-header";
import { listApiKeys } from "@/lib/api-keys/keys";
import { requireMerchant } from "@/lib/auth/session";
import { getMerchantSettings } from "@/lib/merchants/settings";

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

export default async function OverviewPage() {
  const { merchantId, merchantName } = await requireMerchant();
  const [keys, settings] = await Promise.all([listApiKeys(merchantId), getMerchantSettings(merchantId)]);
  const active = keys.filter((k) => k.revokedAt === null);
  const activeTest = active.filter((k) => !k.livemode).length;
  const activeLive = active.length - activeTest;
  const settlementCount = Object.keys(settings?.settlement ?? {}).length;

  return (
    <>
      <PageHeader title={`Welcome, ${merchantName}`} description="Accept stablecoin payments on your own infrastructure." />

      <div className="grid gap-4 sm:grid-cols-2">
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
          <Step done={false} title="Create your first checkout session" description="POST /v1/sessions, then send the payer to the session's url." href="/docs/api" cta="API docs" />
        </ol>
      </section>
    </>
  );
}
