// Small renderers shared by the sessions list and detail pages: shortened ids, addresses and
// transaction hashes with a copy button, explorer links, and times (relative, exact on hover).
import { formatDateTime, formatRelative } from "@/components/ui/format";
import type { TxRef } from "@/lib/dashboard/sessions/timeline";
import { CopyIconButton } from "./copy-icon-button";

/** "0x6D1A70…915553": both ends of a long value stay recognisable. */
export function middle(value: string, head = 8, tail = 6): string {
  return value.length <= head + tail + 1 ? value : `${value.slice(0, head)}…${value.slice(-tail)}`;
}

/** A value shown shortened (full text on hover and for screen readers) with a copy button. */
export function CopyableValue({ value, label, short, className = "" }: { value: string; label: string; short?: string; className?: string }) {
  const shown = short ?? middle(value);
  return (
    <span className={`inline-flex max-w-full items-center gap-1 ${className}`}>
      <span className="relative truncate font-mono text-xs text-zinc-700" title={value}>
        {shown === value ? value : <><span aria-hidden="true">{shown}</span><span className="sr-only">{value}</span></>}
      </span>
      <CopyIconButton value={value} label={`Copy ${label}`} />
    </span>
  );
}

/**
 * A transaction hash: a link to the public explorer on live networks; on test networks (no public
 * explorer) the hash with a copy button.
 */
export function TxHash({ tx, label = "transaction hash" }: { tx: TxRef; label?: string }) {
  if (!tx.url) return <CopyableValue value={tx.hash} label={label} short={middle(tx.hash, 10, 8)} />;
  return (
    <span className="inline-flex max-w-full items-center gap-1">
      <a
        href={tx.url}
        target="_blank"
        rel="noopener noreferrer"
        title={`${tx.hash} on the ${tx.networkLabel} explorer`}
        className="relative truncate rounded font-mono text-xs text-indigo-600 underline-offset-2 hover:text-indigo-500 hover:underline focus-visible:outline-2 focus-visible:outline-indigo-600"
      >
        {middle(tx.hash, 10, 8)}
        <span className="sr-only"> (view on the explorer, opens in a new tab)</span>
        <span aria-hidden="true"> ↗</span>
      </a>
      <CopyIconButton value={tx.hash} label={`Copy ${label}`} />
    </span>
  );
}

// Timelines need the seconds: a deposit, its event and the forward often share a minute.
const secondsFmt = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "medium", timeZone: "UTC" });

/** "Nov 21, 2026, 8:40:35 AM UTC" (UTC like components/ui/format, so server and reader agree). */
export function formatDateTimeSeconds(d: Date): string {
  return `${secondsFmt.format(d)} UTC`;
}

export function RelativeTime({ date, now }: { date: Date; now: Date }) {
  return (
    <time dateTime={date.toISOString()} title={formatDateTime(date)} className="whitespace-nowrap">
      {formatRelative(date, now)}
    </time>
  );
}

/** "in 42 min" / "3 h ago": both directions, for expiry times. */
export function formatDistance(date: Date, now: Date): string {
  const s = Math.round((date.getTime() - now.getTime()) / 1000);
  if (s <= 0) return formatRelative(date, now);
  if (s < 60) return "in less than a minute";
  if (s < 3600) return `in ${Math.floor(s / 60)} min`;
  if (s < 86400) return `in ${Math.floor(s / 3600)} h`;
  return `in ${Math.floor(s / 86400)} d`;
}
