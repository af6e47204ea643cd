"use client";
import { useI18n } from "@/lib/i18n/react";
import { shortHash } from "./amounts";

/**
 * A transaction hash, linked to the network's explorer on live networks (devnets have none): the
 * explorer's transaction prefix (`explorerTx`), or the transaction's whole page (`href`).
 */
export function TxLink({ label, hash, explorerTx, href }: { label: string; hash: string; explorerTx?: string | null; href?: string | null }) {
  const { t } = useI18n();
  const link = href ?? (explorerTx ? `${explorerTx}${hash}` : null);
  return (
    <div className="flex flex-wrap items-baseline justify-between gap-x-3 gap-y-1 text-sm" data-testid="tx">
      <span className="text-zinc-500">{label}</span>
      {link ? (
        <a
          href={link}
          target="_blank"
          rel="noopener noreferrer"
          className="inline-flex items-center gap-1 rounded font-mono text-xs font-medium text-[var(--accent)] underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-[var(--accent)]"
          title={hash}
        >
          {shortHash(hash)}
          <span className="sr-only">({t("status.viewOnExplorer")})</span>
          <svg className="size-3.5" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true">
            <path fillRule="evenodd" d="M4.25 5.5a.75.75 0 0 0-.75.75v8.5c0 .414.336.75.75.75h8.5a.75.75 0 0 0 .75-.75v-4a.75.75 0 0 1 1.5 0v4A2.25 2.25 0 0 1 12.75 17h-8.5A2.25 2.25 0 0 1 2 14.75v-8.5A2.25 2.25 0 0 1 4.25 4h5a.75.75 0 0 1 0 1.5h-5Zm7.25-.75a.75.75 0 0 1 .75-.75h3.5a.75.75 0 0 1 .75.75v3.5a.75.75 0 0 1-1.5 0V6.56l-5.22 5.22a.75.75 0 1 1-1.06-1.06l5.22-5.22h-1.69a.75.75 0 0 1-.75-.75Z" clipRule="evenodd" />
          </svg>
        </a>
      ) : (
        <code className="font-mono text-xs break-all text-zinc-800 select-all" data-testid="tx-hash">{hash}</code>
      )}
    </div>
  );
}
