// Idempotency-Key (API.md): same key + same request within 24 h replays the first response
// byte-for-byte; same key + different request → 409; concurrent duplicates execute once.
import { createHash } from "node:crypto";
import { and, eq, isNull, sql } from "drizzle-orm";
import { idempotencyKeys } from "@/db/schema";
import { db } from "@/lib/db/client";
import { errors } from "./errors";

export type Scope = { merchantId: string; livemode: boolean };
export type Stored = { status: number; body: string };
export type Claim = { kind: "owner"; id: bigint } | { kind: "replay"; response: Stored };

const TTL_SQL = sql`interval '24 hours'`;
const STALE_LOCK_SQL = sql`interval '60 seconds'`;
const WAIT_MS = 10_000;

export function requestHash(method: string, path: string, rawBody: string): string {
  return createHash("sha256").update(`${method}\n${path}\n${rawBody}`).digest("hex");
}

/** Claims the key for this request, or returns the response to replay. Throws 409s. */
export async function claim(scope: Scope, key: string, hash: string): Promise<Claim> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const inserted = await db().insert(idempotencyKeys)
      .values({ ...scope, key, requestHash: hash, lockedAt: sql`now()` })
      .onConflictDoNothing()
      .returning({ id: idempotencyKeys.id });
    if (inserted.length) return { kind: "owner", id: inserted[0].id };

    const [row] = await db().select().from(idempotencyKeys).where(and(
      eq(idempotencyKeys.merchantId, scope.merchantId), eq(idempotencyKeys.livemode, scope.livemode), eq(idempotencyKeys.key, key),
    ));
    if (!row) continue; // deleted between our insert and select: try again
    if (row.createdAt.getTime() < Date.now() - 24 * 3600_000) {
      // Expired records are gone for the purpose of this key.
      await db().delete(idempotencyKeys).where(eq(idempotencyKeys.id, row.id));
      continue;
    }
    if (row.requestHash !== hash) {
      throw errors.conflict(
        "Keys for idempotent requests can only be used with the same parameters they were first used with.",
        "idempotency_error", "Idempotency-Key",
      );
    }
    if (row.completedAt && row.responseStatus !== null && row.responseBody !== null) {
      return { kind: "replay", response: { status: row.responseStatus, body: row.responseBody } };
    }
    // In flight elsewhere. A lock older than a minute belongs to a process that died: take it over.
    const taken = await db().update(idempotencyKeys).set({ lockedAt: sql`now()` }).where(and(
      eq(idempotencyKeys.id, row.id), isNull(idempotencyKeys.completedAt),
      sql`${idempotencyKeys.lockedAt} < now() - ${STALE_LOCK_SQL}`,
    )).returning({ id: idempotencyKeys.id });
    if (taken.length) return { kind: "owner", id: row.id };
    if (Date.now() > deadline) {
      throw errors.conflict("A request with this Idempotency-Key is still being processed; retry later.", "idempotency_key_in_use", "Idempotency-Key");
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function complete(id: bigint, response: Stored): Promise<void> {
  await db().update(idempotencyKeys)
    .set({ responseStatus: response.status, responseBody: response.body, completedAt: sql`now()`, lockedAt: null })
    .where(eq(idempotencyKeys.id, id));
}

/** The request did not execute to a result worth replaying (server error): free the key. */
export async function release(id: bigint): Promise<void> {
  await db().delete(idempotencyKeys).where(eq(idempotencyKeys.id, id));
}

export async function purgeExpired(): Promise<number> {
  const res = await db().delete(idempotencyKeys).where(sql`${idempotencyKeys.createdAt} < now() - ${TTL_SQL}`).returning({ id: idempotencyKeys.id });
  return res.length;
}
