// The dashboard's tables: a white card that scrolls sideways on small screens, a grey header row,
// and columns that can hide below a breakpoint (pass the same class to the column's cells).
import type { ReactNode } from "react";

export const tableClass = "min-w-full divide-y divide-zinc-200 text-sm";
// relative: the scroller is the containing block of what is absolutely positioned inside (the sr-only
// labels of copy buttons), which would otherwise escape it and widen the page on small screens
export const tableWrapClass = "relative overflow-x-auto rounded-xl bg-white shadow-sm ring-1 ring-zinc-200";
export const theadClass = "bg-zinc-50 text-left text-xs font-medium text-zinc-500";
export const thClass = "px-4 py-2.5";
export const tdClass = "px-4 py-3 align-top";

export type Column = { label: string; className?: string };

export function DataTable({ columns, children }: { columns: readonly Column[]; children: ReactNode }) {
  return (
    <div className={tableWrapClass}>
      <table className={tableClass}>
        <thead className={theadClass}>
          <tr>
            {columns.map((c) => <th key={c.label} scope="col" className={`${thClass} ${c.className ?? ""}`}>{c.label}</th>)}
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100">{children}</tbody>
      </table>
    </div>
  );
}
