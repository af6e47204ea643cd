import Link from "next/link";
import { DataTable, type Column } from "@/components/ui/table";
import { buttonClass } from "@/components/ui/button";
import type { SessionListItem } from "@/lib/dashboard/sessions/list-sessions";
import { SessionStatusBadge } from "./status-badge";
import { CopyableValue, RelativeTime } from "./values";

export function sessionHref(id: string): string {
  return `/dashboard/sessions/${id}`;
}

const COLUMNS: Column[] = [
  { label: "Amount" }, { label: "Status" }, { label: "Title", className: "hidden md:table-cell" },
  { label: "Created", className: "hidden sm:table-cell" }, { label: "ID", className: "hidden sm:table-cell" },
];

export function SessionsTable({ items, now }: { items: SessionListItem[]; now: Date }) {
  return (
    <DataTable columns={COLUMNS}>
      {items.map((s) => (
        <tr key={s.id} data-session-id={s.id} className="group text-zinc-700 hover:bg-zinc-50/70">
          <td className="px-4 py-3">
            <Link
              href={sessionHref(s.id)}
              className="rounded font-medium whitespace-nowrap text-zinc-900 hover:text-indigo-600 focus-visible:outline-2 focus-visible:outline-indigo-600"
            >
              {s.amount} {s.tokenSymbol}
              <span className="sr-only">, {s.title}, session {s.id}</span>
            </Link>
            <p className="text-xs whitespace-nowrap text-zinc-500">{s.networkLabel}</p>
            <p className="mt-0.5 max-w-[11rem] truncate text-xs text-zinc-500 md:hidden" aria-hidden="true">{s.title}</p>
          </td>
          <td className="px-4 py-3">
            <SessionStatusBadge status={s.status} />
            <p className="mt-1 text-xs text-zinc-500 sm:hidden"><RelativeTime date={s.createdAt} now={now} /></p>
          </td>
          <td className="hidden max-w-[16rem] truncate px-4 py-3 md:table-cell" title={s.title}>{s.title}</td>
          <td className="hidden px-4 py-3 text-zinc-600 sm:table-cell"><RelativeTime date={s.createdAt} now={now} /></td>
          <td className="hidden px-4 py-3 sm:table-cell">
            <CopyableValue value={s.id} label={`session id ${s.id}`} short={`${s.id.slice(0, 8)}…`} />
          </td>
        </tr>
      ))}
    </DataTable>
  );
}

export function Pagination({ prevHref, nextHref }: { prevHref: string | null; nextHref: string | null }) {
  if (!prevHref && !nextHref) return null;
  const disabled = `${buttonClass("secondary", "sm")} pointer-events-none opacity-50`;
  return (
    <nav aria-label="Pagination" className="mt-4 flex justify-between gap-2">
      {prevHref
        ? <Link href={prevHref} className={buttonClass("secondary", "sm")} rel="prev">← Previous</Link>
        : <span className={disabled} aria-disabled="true">← Previous</span>}
      {nextHref
        ? <Link href={nextHref} className={buttonClass("secondary", "sm")} rel="next">Next →</Link>
        : <span className={disabled} aria-disabled="true">Next →</span>}
    </nav>
  );
}
