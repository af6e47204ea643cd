// Test / live data for a Wallets page: plain links, so every state has a URL.
import Link from "next/link";
import { hrefWith, type WalletMode } from "@/lib/dashboard/wallets/mode";

const focus = "focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600";

export function WalletModeSwitch({ path, mode }: { path: string; mode: WalletMode }) {
  const options = [
    { mode: "test" as const, label: "Test", active: "bg-amber-50 text-amber-900 ring-amber-600/25" },
    { mode: "live" as const, label: "Live", active: "bg-emerald-50 text-emerald-800 ring-emerald-600/20" },
  ];
  return (
    <nav aria-label="Mode" className="inline-flex rounded-lg bg-zinc-100 p-0.5 ring-1 ring-zinc-200 ring-inset">
      {options.map((o) => (
        <Link
          key={o.mode}
          href={hrefWith(path, { mode: o.mode })}
          aria-current={mode === o.mode ? "page" : undefined}
          className={`rounded-md px-3 py-1 text-sm font-medium ${focus} ${mode === o.mode ? `shadow-sm ring-1 ring-inset ${o.active}` : "text-zinc-600 hover:text-zinc-900"}`}
        >
          {o.label}<span className="sr-only"> data</span>
        </Link>
      ))}
    </nav>
  );
}

