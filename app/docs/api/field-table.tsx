// A request or response schema as one table: nested fields are indented under their parent and
// carry their path (`data[].code`), union variants get a label row.
import type { ReactNode } from "react";
import type { FieldRow } from "./model";
import { Prose, RequiredBadge } from "./ui";

/** The docs' table: a bordered card, a header row of `headers`, body rows as children. */
export function DocTable({ headers, children }: { headers: string[]; children: ReactNode }) {
  return (
    <div tabIndex={0} className="overflow-x-auto rounded-lg border border-zinc-200 bg-white focus-visible:outline-2 focus-visible:outline-indigo-600">
      <table className="w-full text-left text-sm">
        <thead className="border-b border-zinc-200 bg-zinc-50 text-xs text-zinc-500">
          <tr>{headers.map((h) => <th key={h} className="px-3 py-2 font-medium">{h}</th>)}</tr>
        </thead>
        <tbody className="divide-y divide-zinc-100">{children}</tbody>
      </table>
    </div>
  );
}

export function FieldTable({ rows }: { rows: FieldRow[] }) {
  if (rows.length === 0) return null;
  return (
    <DocTable headers={["Field", "Type", "Required", "Description"]}>
      {rows.map((r, i) => (r.group ? <GroupRow key={i} row={r} /> : <Row key={i} row={r} />))}
    </DocTable>
  );
}

const indent = (depth: number) => ({ paddingLeft: `${0.75 + depth * 1.25}rem` });

function Row({ row }: { row: FieldRow }) {
  return (
    <tr className="align-top">
      <td className="whitespace-nowrap py-2 pr-3 font-mono text-[13px]" style={indent(row.depth)}>
        {row.depth > 0 && <span className="mr-1 text-zinc-300">└</span>}
        <span className="text-zinc-500">{row.prefix}</span>
        <span className="font-semibold text-zinc-900">{row.name}</span>
      </td>
      <td className="px-3 py-2 font-mono text-[13px] text-indigo-700">{row.type}</td>
      <td className="px-3 py-2"><RequiredBadge required={row.required} /></td>
      <td className="px-3 py-2 text-zinc-700">
        <Prose text={row.description} />
        {row.notes.length > 0 && (
          <div className="mt-0.5 space-x-2 text-xs text-zinc-500">
            {row.notes.map((n, i) => <Prose key={i} text={n} />)}
          </div>
        )}
      </td>
    </tr>
  );
}

function GroupRow({ row }: { row: FieldRow }) {
  return (
    <tr className="bg-zinc-50/70">
      <td colSpan={4} className="py-1.5 pr-3 text-xs font-medium italic text-zinc-500" style={indent(row.depth)}>
        <Prose text={row.name} />
      </td>
    </tr>
  );
}
