// The Sessions and Payments lists' filter bar: a GET form (works before hydration, every state has
// a URL to share) with the list's other state (mode, search, status tabs) carried as hidden fields.
import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import { inputClass } from "@/components/ui/field";
import { EXCEPTION_FILTERS, EXCEPTION_FILTER_LABELS, type ListFilters } from "@/lib/dashboard/list-filters";

const labelClass = "block text-xs font-medium text-zinc-600";

export function ListFilterBar({ action, hidden, filters, networks, status, clearHref, idPrefix }: {
  action: string;
  /** the list's other URL state, kept when filters are applied */
  hidden: Record<string, string>;
  filters: ListFilters;
  networks: { value: string; label: string }[];
  /** a status select, when the list has no status tabs */
  status?: { value: string | null; options: { value: string; label: string }[] };
  /** where "Clear filters" goes; shown when a filter is set */
  clearHref: string | null;
  idPrefix: string;
}) {
  const id = (k: string) => `${idPrefix}-${k}`;
  return (
    <form action={action} aria-label="Filters" data-testid="list-filters"
      className="grid grid-cols-2 items-end gap-2 rounded-lg bg-white p-3 ring-1 ring-zinc-200 sm:flex sm:flex-wrap">
      {Object.entries(hidden).filter(([, v]) => v).map(([k, v]) => <input key={k} type="hidden" name={k} value={v} />)}
      {status && (
        <div className="min-w-0 sm:w-40">
          <label htmlFor={id("status")} className={labelClass}>Status</label>
          <select id={id("status")} name="status" defaultValue={status.value ?? ""} className={inputClass}>
            <option value="">Any status</option>
            {status.options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
          </select>
        </div>
      )}
      <div className="min-w-0 sm:w-48">
        <label htmlFor={id("exception")} className={labelClass}>Exception</label>
        <select id={id("exception")} name="exception" defaultValue={filters.exception ?? ""} className={inputClass}>
          <option value="">Any</option>
          {EXCEPTION_FILTERS.map((e) => <option key={e} value={e}>{EXCEPTION_FILTER_LABELS[e]}</option>)}
        </select>
      </div>
      <div className="min-w-0 sm:w-44">
        <label htmlFor={id("network")} className={labelClass}>Network</label>
        <select id={id("network")} name="network" defaultValue={filters.network ?? ""} className={inputClass}>
          <option value="">All networks</option>
          {networks.map((n) => <option key={n.value} value={n.value}>{n.label}</option>)}
        </select>
      </div>
      <div className="min-w-0 sm:w-40">
        <label htmlFor={id("from")} className={labelClass}>Created from <span className="font-normal text-zinc-500">(UTC)</span></label>
        <input id={id("from")} type="date" name="from" defaultValue={filters.from ?? ""} className={inputClass} />
      </div>
      <div className="min-w-0 sm:w-40">
        <label htmlFor={id("to")} className={labelClass}>Created to <span className="font-normal text-zinc-500">(UTC)</span></label>
        <input id={id("to")} type="date" name="to" defaultValue={filters.to ?? ""} className={inputClass} />
      </div>
      <div className="col-span-2 flex gap-2">
        <button type="submit" className={buttonClass("secondary")}>Apply filters</button>
        {clearHref && <Link href={clearHref} className={buttonClass("ghost")}>Clear filters</Link>}
      </div>
    </form>
  );
}
