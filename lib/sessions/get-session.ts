// Reading one session: by the merchant's key (its own merchant and mode only), or by id alone
// for the public view (the unguessable id is the capability, as for the hosted page).
import { createHash, timingSafeEqual } from "node:crypto";
import { and, eq, sql, type SQLWrapper } from "drizzle-orm";
import { checkouts } from "@/db/schema";
import { errors } from "@/lib/api/errors";
import type { CheckoutRow } from "@/lib/checkout/state-machine";
import { db } from "@/lib/db/client";
import { isPoolDb, preparedQuery } from "@/lib/db/prepared";
import type { Executor } from "@/lib/events/emit";

export type Scope = { merchantId: string; livemode: boolean };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Session ids are UUIDs; anything else cannot name one (and must not reach PostgreSQL's uuid cast). */
export function isSessionId(id: string): boolean {
  return UUID.test(id);
}

const sessionWhere = (id: string | SQLWrapper, merchantId: string | SQLWrapper, livemode: boolean | SQLWrapper) => and(
  eq(checkouts.id, id), eq(checkouts.merchantId, merchantId), eq(checkouts.livemode, livemode), eq(checkouts.kind, "session"),
);
// the API's most frequent read (retrieve, check, token options)
const sessionById = preparedQuery((db) => db.select().from(checkouts)
  .where(sessionWhere(sql.placeholder("id"), sql.placeholder("merchantId"), sql.placeholder("livemode"))).prepare("session_by_id"));
const checkoutById = preparedQuery((db) => db.select().from(checkouts).where(eq(checkouts.id, sql.placeholder("id"))).prepare("checkout_by_id"));

/** The session with this id in the merchant's mode, or null (also for another merchant's or mode's). */
export async function findSession(exec: Executor, scope: Scope, id: string): Promise<CheckoutRow | null> {
  if (!isSessionId(id)) return null;
  const [row] = isPoolDb(exec)
    ? await sessionById().execute({ id, merchantId: scope.merchantId, livemode: scope.livemode })
    : await exec.select().from(checkouts).where(sessionWhere(id, scope.merchantId, scope.livemode));
  return row ?? null;
}

/** Like findSession, but a missing session is the API's 404. */
export async function getSession(scope: Scope, id: string): Promise<CheckoutRow> {
  const row = await findSession(db(), scope, id);
  if (!row) throw errors.notFound("session", "id");
  return row;
}

/** Any merchant's session by id (public view); null when there is none. */
export async function findSessionById(id: string): Promise<CheckoutRow | null> {
  if (!isSessionId(id)) return null;
  const [row] = await db().select().from(checkouts).where(and(eq(checkouts.id, id), eq(checkouts.kind, "session")));
  return row ?? null;
}

/**
 * Any merchant's checkout by id, session or payment (they share the id space and the hosted page):
 * what the public view, the hosted page and the client secret work with. Null when there is none.
 */
export async function findCheckoutById(id: string): Promise<CheckoutRow | null> {
  if (!isSessionId(id)) return null;
  const [row] = isPoolDb(db()) ? await checkoutById().execute({ id }) : await db().select().from(checkouts).where(eq(checkouts.id, id));
  return row ?? null;
}

const digest = (s: string) => createHash("sha256").update(s).digest();

/** Constant-time comparison (over digests, so lengths never leak either). */
export function clientSecretMatches(row: Pick<CheckoutRow, "clientSecret">, presented: string): boolean {
  return timingSafeEqual(digest(row.clientSecret), digest(presented));
}
