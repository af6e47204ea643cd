// The dashboard's sessions list: one merchant, one mode, optional status, search (lib/dashboard/
// checkout-search) and filters (exception, network, dates: lib/dashboard/list-filters), newest first, cursor pagination both ways.
import { and, asc, desc, eq, sql, type SQL } from "drizzle-orm";
import { checkoutSearch } from "../checkout-search";
import { checkoutFilterConditions, type ListFilters } from "../list-filters";
import { checkouts } from "@/db/schema";
import type { CheckoutStatus } from "@/lib/checkout/state-machine";
import { db } from "@/lib/db/client";
import { isSessionId } from "@/lib/sessions/get-session";
import { formatUnits } from "@/lib/money/units";
import { displayAmount, networkLabel } from "./chain-display";

export const SESSIONS_PAGE_SIZE = 25;

export type SessionListItem = {
  id: string;
  status: CheckoutStatus;
  livemode: boolean;
  /** the amount due for display (grouped, lib/money/format) */
  amount: string;
  /** the amount due, every digit, ungrouped (CSV) */
  amountExact: string;
  tokenSymbol: string;
  network: string;
  networkLabel: string;
  chainId: number | null;
  title: string;
  createdAt: Date;
};

export type SessionListQuery = {
  livemode: boolean;
  status?: CheckoutStatus | null;
  q?: string;
  filters?: ListFilters;
  /** show the sessions older than this one (next page) */
  after?: string | null;
  /** show the sessions newer than this one (previous page) */
  before?: string | null;
  limit?: number;
};

export type SessionListPage = {
  items: SessionListItem[];
  /** cursor for the next (older) page, when there is one */
  nextAfter: string | null;
  /** cursor for the previous (newer) page, when there is one */
  prevBefore: string | null;
};

function toItem(r: typeof checkouts.$inferSelect): SessionListItem {
  return {
    id: r.id,
    status: r.status,
    livemode: r.livemode,
    amount: displayAmount(r.amountUnits, r.tokenDecimals),
    amountExact: formatUnits(r.amountUnits, r.tokenDecimals),
    tokenSymbol: r.tokenSymbol,
    network: r.network,
    networkLabel: networkLabel(r.network, r.livemode),
    chainId: r.chainId,
    title: r.displayTitle,
    createdAt: r.createdAt,
  };
}

/** (created_at, id) of the row compared against a cursor row, in SQL so created_at keeps its microseconds. */
function beyond(cursorId: string, dir: "older" | "newer"): SQL {
  const cursor = sql`(select c.created_at, c.id from ${checkouts} c where c.id = ${cursorId})`;
  return dir === "older"
    ? sql`(${checkouts.createdAt}, ${checkouts.id}) < ${cursor}`
    : sql`(${checkouts.createdAt}, ${checkouts.id}) > ${cursor}`;
}

export async function listDashboardSessions(merchantId: string, query: SessionListQuery): Promise<SessionListPage> {
  const limit = query.limit ?? SESSIONS_PAGE_SIZE;
  const base: SQL[] = [eq(checkouts.merchantId, merchantId), eq(checkouts.livemode, query.livemode), eq(checkouts.kind, "session")];
  if (query.status) base.push(eq(checkouts.status, query.status));
  const search = checkoutSearch(merchantId, query.q ?? "");
  if (search) base.push(search);
  if (query.filters) base.push(...checkoutFilterConditions(query.filters));
  const where = (...more: SQL[]) => and(...base, ...more);

  // A cursor must be one of this merchant's sessions in this mode; anything else means page one.
  let cursor: { id: string; dir: "older" | "newer" } | null = null;
  const cursorId = query.after ?? query.before ?? null;
  if (cursorId && isSessionId(cursorId)) {
    const [row] = await db().select({ id: checkouts.id }).from(checkouts).where(and(
      eq(checkouts.id, cursorId), eq(checkouts.merchantId, merchantId), eq(checkouts.livemode, query.livemode), eq(checkouts.kind, "session"),
    ));
    if (row) cursor = { id: row.id, dir: query.after ? "older" : "newer" };
  }

  const newestFirst = [desc(checkouts.createdAt), desc(checkouts.id)];
  const oldestFirst = [asc(checkouts.createdAt), asc(checkouts.id)];
  let rows: (typeof checkouts.$inferSelect)[];
  let more: boolean;
  if (cursor?.dir === "newer") {
    const got = await db().select().from(checkouts).where(where(beyond(cursor.id, "newer"))).orderBy(...oldestFirst).limit(limit + 1);
    more = got.length > limit;
    rows = got.slice(0, limit).reverse();
  } else {
    const got = await db().select().from(checkouts).where(cursor ? where(beyond(cursor.id, "older")) : where())
      .orderBy(...newestFirst).limit(limit + 1);
    more = got.length > limit;
    rows = got.slice(0, limit);
  }
  // Nothing beyond a stale cursor (its neighbours changed status meanwhile): start over on page one.
  if (cursor && rows.length === 0) return listDashboardSessions(merchantId, { ...query, after: null, before: null });

  // `more` answers one direction; the other is a cheap existence check from the page's edge.
  const exists = async (id: string, dir: "older" | "newer") =>
    (await db().select({ one: sql`1` }).from(checkouts).where(where(beyond(id, dir))).limit(1)).length > 0;
  const first = rows[0];
  const last = rows[rows.length - 1];
  let hasNewer: boolean;
  let hasOlder: boolean;
  if (cursor?.dir === "newer") {
    hasNewer = more;
    hasOlder = last ? await exists(last.id, "older") : false;
  } else {
    hasOlder = more;
    hasNewer = cursor && first ? await exists(first.id, "newer") : false;
  }
  return {
    items: rows.map(toItem),
    nextAfter: hasOlder && last ? last.id : null,
    prevBefore: hasNewer && first ? first.id : null,
  };
}

/** Whether the merchant has any session in this mode (the list's "no sessions yet" state). */
export async function hasAnySession(merchantId: string, livemode: boolean): Promise<boolean> {
  const [row] = await db().select({ one: sql`1` }).from(checkouts)
    .where(and(eq(checkouts.merchantId, merchantId), eq(checkouts.livemode, livemode), eq(checkouts.kind, "session"))).limit(1);
  return row !== undefined;
}
