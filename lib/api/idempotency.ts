// Idempotency-Key (API.md): same key + same request within 24 h replays the first response
// byte-for-byte; same key + different request → 409; concurrent duplicates execute once.
// Records are scoped by caller — the merchant's secret keys of one mode, or one session's client
// secret — and keyed on method, path, query and body; the wrapper (lib/api/route.ts) has already
// authenticated, authorized and verified the request's signature before it asks for a replay.
//
// The key's row, the request's effects and its stored response commit in ONE transaction
// (withTransaction): a duplicate's INSERT waits on the first request's uncommitted row and then
// replays it; a crash or a server error rolls everything back, so a stored response always
// describes effects that happened, and effects never happen without their stored response.
import { hash } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { idempotencyKeys } from "@/db/schema";
import { db, withTransaction } from "@/lib/db/client";
import { LOCK_NOT_AVAILABLE, pgError, UNIQUE_VIOLATION } from "@/lib/db/errors";
import { insertTogether } from "@/lib/db/insert-batch";
import { rowInsert, type RowInsert } from "@/lib/db/row-insert";
import type { Principal } from "./auth";
import type { ErrorDialect } from "./dialect";
import { ApiError, errors } from "./errors";

// A duplicate's INSERT waits on the first request's uncommitted key; lock_timeout (set on every
// pooled connection, lib/db/client.ts) bounds that wait and turns into a 409 below.

/** `caller`: "key" for the merchant's secret keys, `session:<id>` for one session's client secret. */
export type Scope = { merchantId: string; livemode: boolean; caller: string };
export type Stored = { status: number; body: string };

const TTL_MS = 24 * 3600_000;

/**
 * The records a caller shares: the merchant's secret keys of one mode share theirs; a payer's
 * client secret has its own per session, so a payer can neither replay what the merchant was
 * answered (the full view) nor take a key the merchant will use. Anonymous callers have none.
 */
export function callerScope(p: Principal): Scope | null {
  if (p.kind === "key") return { merchantId: p.merchantId, livemode: p.livemode, caller: "key" };
  if (p.kind === "client_secret") return { merchantId: p.merchantId, livemode: p.livemode, caller: `session:${p.sessionId}` };
  return null;
}

/** `search`: the URL's query string as sent (`?a=1&b=2`, or ""). */
export function requestHash(method: string, path: string, search: string, rawBody: string): string {
  return hash("sha256", `${method}\n${path}\n${search}\n${rawBody}`, "hex");
}

/** Thrown inside the transaction to roll it back while still answering with `response`. */
class Rollback extends Error {
  constructor(readonly response: Response) { super("rollback"); }
}

/**
 * Executes `execute` at most once per (scope, key): the first request runs it and stores its
 * response; later ones with the same request get that response (replayed: true).
 */
export async function idempotent(
  scope: Scope, key: string, hash: string, execute: () => Promise<Response>, dialect: ErrorDialect = "native",
): Promise<{ response: Stored; replayed: boolean } | { passthrough: Response }> {
  try {
    return await withTransaction(async () => {
      for (let attempt = 0; attempt < 2; attempt++) {
        const inserted = await db().insert(idempotencyKeys)
          .values({ merchantId: scope.merchantId, livemode: scope.livemode, caller: scope.caller, key, requestHash: hash })
          .onConflictDoNothing()
          .returning({ id: idempotencyKeys.id });
        if (inserted.length) {
          const res = await runOnce(execute);
          if (res.status >= 500) throw new Rollback(res); // not a result worth replaying: free the key
          const stored = { status: res.status, body: await res.text() };
          await db().update(idempotencyKeys)
            .set({ responseStatus: stored.status, responseBody: stored.body, completedAt: sql`now()` })
            .where(eq(idempotencyKeys.id, inserted[0].id));
          return { response: stored, replayed: false };
        }
        const found = await storedResponse(scope, key, hash);
        if (found) return { response: found, replayed: true };
      }
      throw errors.conflict("This Idempotency-Key was just reused; retry the request.", "idempotency_key_in_use", "Idempotency-Key");
    });
  } catch (e) {
    if (e instanceof Rollback) return { passthrough: e.response };
    if (e instanceof ClientError) return { passthrough: await storeClientError(scope, key, hash, e.error, dialect) };
    if (pgError(e)?.code === LOCK_NOT_AVAILABLE) {
      throw errors.conflict("A request with this Idempotency-Key is still being processed; retry later.", "idempotency_key_in_use", "Idempotency-Key");
    }
    throw e;
  }
}

/**
 * The stored response for (scope, key) when the same request was made before; null when there is
 * no live key (never used, or expired — an expired key is deleted: it is a new key now); a 409
 * when the key was used with different parameters.
 */
async function storedResponse(scope: Scope, key: string, hash: string): Promise<Stored | null> {
  const [row] = await db().select().from(idempotencyKeys).where(and(
    eq(idempotencyKeys.merchantId, scope.merchantId), eq(idempotencyKeys.livemode, scope.livemode),
    eq(idempotencyKeys.caller, scope.caller), eq(idempotencyKeys.key, key),
  ));
  if (!row) return null;
  if (row.createdAt.getTime() < Date.now() - TTL_MS) {
    await db().delete(idempotencyKeys).where(eq(idempotencyKeys.id, row.id));
    return null;
  }
  if (row.requestHash !== hash) {
    throw errors.conflict(
      "Keys for idempotent requests can only be used with the same parameters they were first used with.",
      "idempotency_error", "Idempotency-Key",
    );
  }
  return { status: row.responseStatus ?? 500, body: row.responseBody ?? "" };
}

const KEY_UNIQUE = "idempotency_keys_scope_key";

/** Runs a deferred write on its own (no Idempotency-Key). */
export async function executeWrite(write: RowInsert): Promise<void> {
  await insertTogether([write]);
}

/**
 * The one-statement form for requests whose response is known before their single write (a
 * create that computes its row in full): the write and the key row with its response go to the
 * database as ONE statement (`with w0 as (<write>) insert into idempotency_keys …`), so they
 * commit together without a transaction's extra round trips — batched with other requests' writes
 * of the same shape when several are waiting (lib/db/insert-batch.ts).
 * A duplicate — committed, or in flight and waited for — makes the key insert violate its unique
 * index, which undoes the write too; the duplicate then gets the first response replayed.
 */
export async function idempotentWrite(
  scope: Scope, key: string, hash: string, response: Stored, write: RowInsert,
): Promise<{ response: Stored; replayed: boolean }> {
  const keyRow = rowInsert(idempotencyKeys, {
    merchantId: scope.merchantId, livemode: scope.livemode, caller: scope.caller, key, requestHash: hash, responseStatus: response.status, responseBody: response.body, completedAt: new Date(),
  });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await insertTogether([write, keyRow]);
      return { response, replayed: false };
    } catch (e) {
      const err = pgError(e);
      if (err?.code === LOCK_NOT_AVAILABLE) {
        throw errors.conflict("A request with this Idempotency-Key is still being processed; retry later.", "idempotency_key_in_use", "Idempotency-Key");
      }
      if (err?.code !== UNIQUE_VIOLATION || err.constraint !== KEY_UNIQUE) throw e;
    }
    const found = await storedResponse(scope, key, hash);
    if (found) return { response: found, replayed: true };
  }
  throw errors.conflict("This Idempotency-Key was just reused; retry the request.", "idempotency_key_in_use", "Idempotency-Key");
}

/** A client error (4xx) of a deferred-write request, remembered under its key like any response. */
export async function rememberClientError(scope: Scope, key: string, hash: string, e: ApiError, dialect: ErrorDialect): Promise<{ response: Stored; replayed: boolean }> {
  const stored = { status: e.status, body: JSON.stringify(e.body(dialect)) };
  const inserted = await db().insert(idempotencyKeys)
    .values({ merchantId: scope.merchantId, livemode: scope.livemode, caller: scope.caller, key, requestHash: hash, responseStatus: stored.status, responseBody: stored.body, completedAt: sql`now()` })
    .onConflictDoNothing().returning({ id: idempotencyKeys.id });
  if (inserted.length) return { response: stored, replayed: false };
  const found = await storedResponse(scope, key, hash);
  return found ? { response: found, replayed: true } : { response: stored, replayed: false };
}

/**
 * Runs the request's work inside the key's transaction. A client error (4xx ApiError) is a result
 * to remember, but its partial effects must not be: roll the transaction back, then store the
 * error under the key on its own (a duplicate that slipped in meanwhile wins; both executions
 * failed without effects).
 */
async function runOnce(execute: () => Promise<Response>): Promise<Response> {
  try {
    return await execute();
  } catch (e) {
    if (e instanceof ApiError && e.status < 500) throw new ClientError(e);
    throw e;
  }
}

class ClientError extends Error {
  constructor(readonly error: ApiError) { super(error.message); }
}

async function storeClientError(scope: Scope, key: string, hash: string, e: ApiError, dialect: ErrorDialect): Promise<Response> {
  const body = JSON.stringify(e.body(dialect));
  await db().insert(idempotencyKeys)
    .values({ merchantId: scope.merchantId, livemode: scope.livemode, caller: scope.caller, key, requestHash: hash, responseStatus: e.status, responseBody: body, completedAt: sql`now()` })
    .onConflictDoNothing();
  return new Response(body, { status: e.status, headers: { "Content-Type": "application/json; charset=utf-8", ...e.headers } });
}

export async function purgeExpired(): Promise<number> {
  const res = await db().delete(idempotencyKeys).where(sql`${idempotencyKeys.createdAt} < now() - interval '24 hours'`).returning({ id: idempotencyKeys.id });
  return res.length;
}
