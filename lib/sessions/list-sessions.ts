// Listing a merchant's sessions in one mode: newest first, cursor pagination by id
// (`startingAfter`), stable when several sessions share a created_at.
import { and, desc, eq, sql, type SQL } from "drizzle-orm";
import { checkouts } from "@/db/schema";
import { errors } from "@/lib/api/errors";
import type { CheckoutRow, CheckoutStatus } from "@/lib/checkout/state-machine";
import { db } from "@/lib/db/client";
import { findSession, type Scope } from "./get-session";

export type ListSessionsOptions = { status?: CheckoutStatus; limit?: number; startingAfter?: string };

export async function listSessions(scope: Scope, opts: ListSessionsOptions = {}): Promise<{ rows: CheckoutRow[]; hasMore: boolean }> {
  const limit = opts.limit ?? 20;
  const conds: SQL[] = [eq(checkouts.merchantId, scope.merchantId), eq(checkouts.livemode, scope.livemode), eq(checkouts.kind, "session")];
  if (opts.status) conds.push(eq(checkouts.status, opts.status));
  if (opts.startingAfter !== undefined) {
    const cursor = await findSession(db(), scope, opts.startingAfter);
    if (!cursor) throw errors.notFound("session", "startingAfter");
    // Compared in SQL so created_at keeps its microseconds (a JS Date would truncate them).
    conds.push(sql`(${checkouts.createdAt}, ${checkouts.id}) < (select c.created_at, c.id from ${checkouts} c where c.id = ${cursor.id})`);
  }
  const rows = await db().select().from(checkouts).where(and(...conds))
    .orderBy(desc(checkouts.createdAt), desc(checkouts.id)).limit(limit + 1);
  return { rows: rows.slice(0, limit), hasMore: rows.length > limit };
}
