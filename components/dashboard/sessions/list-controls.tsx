// The sessions list's controls, all plain links and a GET form so they work before hydration and
// every state has a URL: mode switch, status tabs, search.
import Form from "next/form";
import Link from "next/link";
import { inputClass } from "@/components/ui/field";
import { buttonClass } from "@/components/ui/button";
import { CHECKOUT_STATUSES } from "@/lib/checkout/state-machine";
import { SEARCH_MAX_LENGTH, SESSIONS_PATH, sessionListHref, type SessionListParams } from "@/lib/dashboard/sessions/list-params";
import { filterEntries } from "@/lib/dashboard/list-filters";
import { STATUS_LABELS } from "./status-badge";

const focus = "focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600";

/** Test / live data, in the colours of the navigation's mode indicator. */
export function ModeSwitch({ params }: { params: SessionListParams }) {
  const options = [
    { mode: "test" as const, label: "Test", dot: "bg-amber-500", active: "bg-amber-50 text-amber-900 ring-amber-600/25" },
    { mode: "live" as const, label: "Live", dot: "bg-emerald-500", active: "bg-emerald-50 text-emerald-800 ring-emerald-600/20" },
  ];
  return (
    <nav aria-label="Mode" className="inline-flex rounded-lg bg-zinc-100 p-0.5 ring-1 ring-zinc-200 ring-inset">
      {options.map((o) => {
        const current = params.mode === o.mode;
        return (
          <Link
            key={o.mode}
            href={sessionListHref(params, { mode: o.mode })}
            aria-current={current ? "page" : undefined}
            className={`inline-flex items-center gap-1.5 rounded-md px-3 py-1 text-sm font-medium ${focus} ${
              current ? `shadow-sm ring-1 ring-inset ${o.active}` : "text-zinc-600 hover:text-zinc-900"
            }`}
          >
            <span className={`size-1.5 rounded-full ${current ? o.dot : "bg-zinc-400"}`} aria-hidden="true" />
            {o.label}<span className="sr-only"> data</span>
          </Link>
        );
      })}
    </nav>
  );
}

export function StatusTabs({ params }: { params: SessionListParams }) {
  const tabs = [{ status: null, label: "All" }, ...CHECKOUT_STATUSES.map((s) => ({ status: s, label: STATUS_LABELS[s] }))];
  return (
    <nav aria-label="Filter by status" className="-mx-4 overflow-x-auto px-4 sm:mx-0 sm:px-0">
      <ul className="flex min-w-max gap-1 border-b border-zinc-200">
        {tabs.map((t) => {
          const current = params.status === t.status;
          return (
            <li key={t.status ?? "all"}>
              <Link
                href={sessionListHref(params, { status: t.status })}
                aria-current={current ? "page" : undefined}
                className={`-mb-px inline-block border-b-2 px-3 py-2 text-sm font-medium whitespace-nowrap ${focus} ${
                  current ? "border-indigo-600 text-indigo-700" : "border-transparent text-zinc-500 hover:border-zinc-300 hover:text-zinc-800"
                }`}
              >
                {t.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

export function SearchForm({ params }: { params: SessionListParams }) {
  return (
    <Form action={SESSIONS_PATH} role="search" className="flex w-full gap-2 sm:max-w-md">
      <input type="hidden" name="mode" value={params.mode} />
      {params.status && <input type="hidden" name="status" value={params.status} />}
      {filterEntries(params.filters).map(([k, v]) => <input key={k} type="hidden" name={k} value={v} />)}
      <label htmlFor="session-search" className="sr-only">Search sessions</label>
      <div className="relative flex-1">
        <svg className="pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2 text-zinc-400" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true">
          <path fillRule="evenodd" d="M9 3.5a5.5 5.5 0 1 0 0 11 5.5 5.5 0 0 0 0-11ZM2 9a7 7 0 1 1 12.45 4.39l3.08 3.08a.75.75 0 1 1-1.06 1.06l-3.08-3.08A7 7 0 0 1 2 9Z" clipRule="evenodd" />
        </svg>
        <input
          // a new search (or Clear) re-renders with another q: show it, not what was typed before
          key={params.q}
          id="session-search"
          type="search"
          name="q"
          defaultValue={params.q}
          maxLength={SEARCH_MAX_LENGTH}
          placeholder="Id, title, tx hash, address or metadata"
          autoComplete="off"
          spellCheck={false}
          className={`${inputClass} pl-8`}
        />
      </div>
      <button type="submit" className={buttonClass("secondary")}>Search</button>
      {params.q && <Link href={sessionListHref(params, { q: "" })} className={buttonClass("ghost")}>Clear</Link>}
    </Form>
  );
}
