import Link from "next/link";
import { icons } from "@/components/dashboard/nav-icons";
import { buttonClass } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { EmptyState } from "@/components/ui/empty-state";
import type { CreateSessionExample } from "@/lib/dashboard/sessions/create-example";

const code = "rounded bg-zinc-100 px-1 py-0.5 font-mono text-xs text-zinc-800";

/** The mode has no session at all: how to create one. */
export function NoSessionsYet({ mode, example, instanceMode }: {
  mode: "test" | "live";
  example: CreateSessionExample | null;
  instanceMode: "test" | "live";
}) {
  if (!example) {
    return (
      <EmptyState
        icon={icons.sessions}
        title={`No ${mode} sessions yet`}
        description={mode === "live" && instanceMode === "test"
          ? "This instance runs in test mode: live networks are off, so live sessions can't be created here. Switch to test data, or run the instance with TOLLGATE_MODE=live."
          : `No EVM network with a token is enabled in ${mode} mode on this instance, so sessions can't be created yet.`}
      />
    );
  }
  return (
    <div className="rounded-xl border border-dashed border-zinc-300 bg-white px-5 py-10 sm:px-8">
      <div className="mx-auto max-w-2xl text-center">
        <div className="mx-auto mb-3 flex size-10 items-center justify-center rounded-full bg-zinc-100 text-zinc-500">{icons.sessions}</div>
        <h2 className="text-sm font-semibold text-zinc-900">No {mode} sessions yet</h2>
        <p className="mt-1 text-sm text-zinc-500">
          Create one from your server with a {mode} secret key; the payer then opens the session&apos;s <code className={code}>url</code>.
          This example asks for 25 {example.tokenSymbol} on {example.networkLabel} (chain {example.chainId}).
        </p>
      </div>
      <div className="mx-auto mt-5 max-w-2xl">
        <div className="flex items-center justify-between gap-2 rounded-t-lg bg-zinc-800 px-3 py-1.5">
          <span className="text-xs font-medium text-zinc-300">Create a session</span>
          <CopyButton value={example.command} label="Copy command" />
        </div>
        <pre className="overflow-x-auto rounded-b-lg bg-zinc-900 p-4 text-xs leading-relaxed text-zinc-100" data-testid="create-session-example"><code>{example.command}</code></pre>
        <p className="mt-3 text-xs text-zinc-500">
          Replace <code className={code}>{mode === "live" ? "sk_live" : "sk_test"}_…</code> with a key from{" "}
          <Link href="/dashboard/api-keys" className="font-medium text-indigo-600 hover:text-indigo-500">API keys</Link>
          {example.hasDestination
            ? <>. Funds go to your {example.networkLabel} settlement address.</>
            : <> and <code className={code}>0xYOUR_WALLET_ADDRESS</code> with the address that should receive the funds (or set a settlement address in <Link href="/dashboard/settings" className="font-medium text-indigo-600 hover:text-indigo-500">Settings</Link>).</>}
          {" "}See the <a href="/docs/api" className="font-medium text-indigo-600 hover:text-indigo-500">API reference</a> for every field.
        </p>
      </div>
    </div>
  );
}

/** Sessions exist, but none matches the filter or search. */
export function NoMatchingSessions({ q, statusLabel, filters = [], clearHref }: { q: string; statusLabel: string | null; filters?: string[]; clearHref: string }) {
  const what = [statusLabel && `status “${statusLabel}”`, ...filters, q && `“${q}”`].filter(Boolean).join(" and ");
  return (
    <EmptyState
      icon={icons.sessions}
      title="No matching sessions"
      description={<>No session matches {what || "this filter"}. Search looks at session ids (whole or the first characters), titles, metadata values, transaction hashes and the addresses a session was paid to or from.</>}
      action={<Link href={clearHref} className={buttonClass("secondary")}>Clear filters</Link>}
    />
  );
}
