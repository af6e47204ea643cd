// The filters the Sessions and Payments lists share beside their search and status: the exception
// (the decider's exception axis, plus "needs attention" as the Overview lists it and "other asset"
// for money received in an asset that does not pay the checkout), the network and a creation date
// range (UTC days). Parsed leniently from the URL (a hand-edited URL shows a list, not an error),
// written back into hrefs, and turned into one SQL condition over `checkouts`.
import { and, eq, gte, lt, sql, type SQL } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import { checkouts, deposits } from "@/db/schema";
import { config } from "@/lib/config";
import { NETWORKS } from "@/lib/config/networks";
import { NATIVE_TOKEN } from "@/lib/checkout/native-token";
import { USD_STABLECOINS } from "@/lib/deposits/assets";
import { attentionCondition } from "./needs-attention";

export const EXCEPTION_FILTERS = ["attention", "underpaid", "overpaid", "paid_late", "mixed", "other_asset", "blocked"] as const;
export type ExceptionFilter = (typeof EXCEPTION_FILTERS)[number];

export const EXCEPTION_FILTER_LABELS: Record<ExceptionFilter, string> = {
  attention: "Needs attention",
  underpaid: "Underpaid",
  overpaid: "Overpaid",
  paid_late: "Paid late",
  mixed: "Paid in several assets",
  other_asset: "Wrong asset received",
  blocked: "Blocked",
};

export type ListFilters = {
  exception: ExceptionFilter | null;
  /** a network name (lib/config/networks) */
  network: string | null;
  /** YYYY-MM-DD, UTC days, both inclusive */
  from: string | null;
  to: string | null;
};

export const NO_FILTERS: ListFilters = { exception: null, network: null, from: null, to: null };

type RawParams = Record<string, string | string[] | undefined>;
const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.trim() ?? "";

/** A calendar day as written by <input type="date">, and a real one (no 2026-02-31). */
function day(v: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) return null;
  const d = new Date(`${v}T00:00:00Z`);
  return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== v ? null : v;
}

export function parseListFilters(raw: RawParams): ListFilters {
  const exception = first(raw.exception);
  const network = first(raw.network);
  return {
    exception: (EXCEPTION_FILTERS as readonly string[]).includes(exception) ? (exception as ExceptionFilter) : null,
    network: NETWORKS.some((n) => n.name === network) ? network : null,
    from: day(first(raw.from)),
    to: day(first(raw.to)),
  };
}

/** The filters as URL parameters, in a fixed order, only those set. */
export function filterEntries(f: ListFilters): [string, string][] {
  const out: [string, string][] = [];
  if (f.exception) out.push(["exception", f.exception]);
  if (f.network) out.push(["network", f.network]);
  if (f.from) out.push(["from", f.from]);
  if (f.to) out.push(["to", f.to]);
  return out;
}

export const hasFilters = (f: ListFilters) => filterEntries(f).length > 0;

/** The networks a mode can have checkouts on (enabled on this instance), for the network filter. */
export function networkOptions(livemode: boolean): { value: string; label: string }[] {
  const on = new Set(config().networks.filter((c) => c.enabled && c.livemode === livemode).map((c) => c.network));
  return NETWORKS.filter((n) => on.has(n.name)).map((n) => ({ value: n.name, label: n.displayName }));
}

/** Words for an empty state: "exception “Paid late”, network Ethereum, from 2026-01-01". */
export function describeFilters(f: ListFilters): string[] {
  const out: string[] = [];
  if (f.exception) out.push(`“${EXCEPTION_FILTER_LABELS[f.exception]}”`);
  if (f.network) out.push(`network ${NETWORKS.find((n) => n.name === f.network)?.displayName ?? f.network}`);
  if (f.from && f.to) out.push(`created ${f.from} to ${f.to}`);
  else if (f.from) out.push(`created on or after ${f.from}`);
  else if (f.to) out.push(`created on or before ${f.to}`);
  return out;
}

/** Asset codes of USD stablecoin tokens (they pay a USD-stablecoin session 1:1, lib/checkout/payment-summary). */
const STABLE_TOKEN_CODES = NETWORKS.flatMap((n) => n.assets.filter((a) => a.standard !== "native" && USD_STABLECOINS.has(a.asset)).map((a) => a.code));

/**
 * A deposit (alias d) that pays the checkout it is on: the checkout's own token on its network
 * (the native coin for the zero address), for a USD-stablecoin session any USD stablecoin token, or the
 * coin a session's quote is in (type bitcoin).
 * The SQL form of lib/checkout/payment-summary's countingDecimals, for filtering.
 */
const depositCounts = sql`(coalesce(${checkouts.kind} = 'session' and d.network = ${checkouts.quoteNetwork} and d.asset_code = ${checkouts.quoteAsset}, false)
  or (d.network = ${checkouts.network} and (
    (d.token_address is null and lower(${checkouts.tokenAddress}) = ${NATIVE_TOKEN})
    or coalesce(lower(d.token_address) = lower(${checkouts.tokenAddress}), false)))
  or (${checkouts.kind} = 'session' and d.token_address is not null
    and ${checkouts.tokenSymbol} in (${sql.join([...USD_STABLECOINS].map((s) => sql`${s}`), sql`, `)})
    and d.asset_code in (${sql.join(STABLE_TOKEN_CODES.map((c) => sql`${c}`), sql`, `)})))`;

function exceptionCondition(e: ExceptionFilter): SQL {
  switch (e) {
    case "attention": return attentionCondition();
    case "paid_late":
      // the exception, or a deposit that came after the checkout ended (kept on the receiver)
      return sql`(${checkouts.exception} = 'paid_late' or exists (select 1 from ${deposits} d where d.checkout_id = ${checkouts.id} and d.late and d.status <> 'reverted'))`;
    case "other_asset":
      return sql`exists (select 1 from ${deposits} d where d.checkout_id = ${checkouts.id} and d.status <> 'reverted' and not d.late and not ${depositCounts})`;
    default:
      return eq(checkouts.exception, e);
  }
}

/** The conditions over `checkouts` the filters ask for (none: an empty list). */
export function checkoutFilterConditions(f: ListFilters): SQL[] {
  const own = checkoutOnlyConditions(f);
  return [...(own ? [own] : []), ...dateConditions(f, checkouts.createdAt)];
}

/** The date range over a creation time column: from the start of `from` to the end of `to` (UTC). */
export function dateConditions(f: ListFilters, column: PgColumn): SQL[] {
  const out: SQL[] = [];
  if (f.from) out.push(gte(column, new Date(`${f.from}T00:00:00Z`)));
  if (f.to) out.push(lt(column, new Date(new Date(`${f.to}T00:00:00Z`).getTime() + 86_400_000)));
  return out;
}

/** The same filters but the date (the payments list dates its own rows). */
export function checkoutOnlyConditions(f: ListFilters): SQL | undefined {
  const out: SQL[] = [];
  if (f.exception) out.push(exceptionCondition(f.exception));
  if (f.network) out.push(eq(checkouts.network, f.network));
  return out.length ? and(...out) : undefined;
}
