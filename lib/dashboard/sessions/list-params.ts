// The sessions list's URL state (?mode, ?status, ?q, the shared filters ?exception, ?network,
// ?from, ?to, and ?after, ?before): parsed leniently, since a
// hand-edited URL should show a list rather than an error, and turned back into hrefs.
import { CHECKOUT_STATUSES, type CheckoutStatus } from "@/lib/checkout/state-machine";
import { filterEntries, parseListFilters, type ListFilters } from "../list-filters";

export type Mode = "test" | "live";

export type SessionListParams = {
  mode: Mode;
  status: CheckoutStatus | null;
  /** search text: a session id (or its prefix), a title, a tx hash, an address or a metadata value (lib/dashboard/checkout-search) */
  q: string;
  /** exception, network, date range (lib/dashboard/list-filters) */
  filters: ListFilters;
  /** cursors: a session id; at most one is set */
  after: string | null;
  before: string | null;
};

export const SEARCH_MAX_LENGTH = 200;
export const SESSIONS_PATH = "/dashboard/sessions";

type RawParams = Record<string, string | string[] | undefined>;

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/** `defaultMode`: the mode shown without ?mode (the instance's own mode). */
export function parseSessionListParams(raw: RawParams, defaultMode: Mode): SessionListParams {
  const mode = first(raw.mode);
  const status = first(raw.status);
  const after = first(raw.after)?.trim() || null;
  const before = after ? null : first(raw.before)?.trim() || null;
  return {
    mode: mode === "test" || mode === "live" ? mode : defaultMode,
    status: (CHECKOUT_STATUSES as readonly string[]).includes(status ?? "") ? (status as CheckoutStatus) : null,
    q: (first(raw.q) ?? "").trim().slice(0, SEARCH_MAX_LENGTH),
    filters: parseListFilters(raw),
    after,
    before,
  };
}

/** The list's URL with `changes` applied; cursors are dropped unless given (a new filter starts on page one). */
export function sessionListHref(p: SessionListParams, changes: Partial<SessionListParams> = {}): string {
  const next = { ...p, after: null, before: null, ...changes };
  const qs = new URLSearchParams();
  qs.set("mode", next.mode);
  if (next.status) qs.set("status", next.status);
  if (next.q) qs.set("q", next.q);
  for (const [k, v] of filterEntries(next.filters)) qs.set(k, v);
  if (next.after) qs.set("after", next.after);
  else if (next.before) qs.set("before", next.before);
  return `${SESSIONS_PATH}?${qs.toString()}`;
}
