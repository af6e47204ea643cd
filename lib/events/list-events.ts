// Reading events for a merchant and mode, newest first, with the cursor pagination of API.md.
import { and, desc, eq, sql, type SQL } from "drizzle-orm";
import { events } from "@/db/schema";
import { errors } from "@/lib/api/errors";
import { db } from "@/lib/db/client";
import type { EventRow } from "./emit";

export type Scope = { merchantId: string; livemode: boolean };

/** API.md §4 Event. */
export type EventView = {
  id: string;
  type: string;
  createdAt: number;
  livemode: boolean;
  data: { object: unknown };
};

export function serializeEvent(row: EventRow): EventView {
  return {
    id: row.id,
    type: row.type,
    createdAt: Math.floor(row.createdAt.getTime() / 1000),
    livemode: row.livemode,
    data: { object: row.data },
  };
}

export type ListEventsOptions = {
  type?: string;
  /** only events about this object (a session id, …) */
  objectId?: string;
  limit?: number;
  startingAfter?: string;
};

export async function listEvents(scope: Scope, opts: ListEventsOptions = {}): Promise<{ data: EventView[]; hasMore: boolean }> {
  const limit = opts.limit ?? 20;
  const conds: SQL[] = [eq(events.merchantId, scope.merchantId), eq(events.livemode, scope.livemode)];
  if (opts.type) conds.push(eq(events.type, opts.type));
  if (opts.objectId) conds.push(eq(events.objectId, opts.objectId));
  if (opts.startingAfter !== undefined) {
    const [cursor] = await db().select({ id: events.id }).from(events)
      .where(and(eq(events.id, opts.startingAfter), eq(events.merchantId, scope.merchantId), eq(events.livemode, scope.livemode)));
    if (!cursor) throw errors.notFound("event", "startingAfter");
    // Compared in SQL so created_at keeps its microseconds (a JS Date would truncate them).
    conds.push(sql`(${events.createdAt}, ${events.id}) < (select e.created_at, e.id from ${events} e where e.id = ${cursor.id})`);
  }
  const rows = await db().select().from(events).where(and(...conds))
    .orderBy(desc(events.createdAt), desc(events.id)).limit(limit + 1);
  return { data: rows.slice(0, limit).map(serializeEvent), hasMore: rows.length > limit };
}
