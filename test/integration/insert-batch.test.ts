// Session create's write path under concurrency (lib/db/insert-batch.ts through
// lib/api/idempotency.ts idempotentWrite): writes waiting together leave as one statement, and a
// batch that fails never costs another caller its write or its answer.
import { randomUUID } from "node:crypto";
import { and, eq, inArray } from "drizzle-orm";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { checkouts, idempotencyKeys } from "@/db/schema";
import { idempotentWrite, type Scope } from "@/lib/api/idempotency";
import { databaseUrl, db } from "@/lib/db/client";
import { insertBatchStats } from "@/lib/db/insert-batch";
import { planSession } from "@/lib/sessions/create-session";
import { newMerchant } from "../helpers/api";

const USDC = "0x6D1A70703E4C7Cf35E2BE3B9DdED28401a915553";
const PAYEE = "0xd8dA6BF26964aF9D7eEd9e03E53415D37aA96045";

async function merchantScope(): Promise<Scope & { merchant: { name: string; defaultExpirySeconds: number } }> {
  const m = await newMerchant("Batch shop");
  return { merchantId: m.merchantId, livemode: false, caller: "key", merchant: { name: "Batch shop", defaultExpirySeconds: 3600 } };
}

/** What the route does for one create: plan the row, then commit it with its key row. */
function create(scope: Awaited<ReturnType<typeof merchantScope>>, key: string, amountUnits = "25") {
  const { row, insert } = planSession(scope, { destination: { type: "evm", address: PAYEE, chainId: 31337, tokenAddress: USDC, amountUnits } });
  const response = { status: 201, body: JSON.stringify({ sessionId: row.id }) };
  return idempotentWrite(scope, key, `hash-${amountUnits}`, response, insert).then((r) => ({ ...r, id: row.id }));
}

async function rowsOf(merchantId: string) {
  const sessions = await db().select({ id: checkouts.id }).from(checkouts).where(eq(checkouts.merchantId, merchantId));
  const keys = await db().select({ key: idempotencyKeys.key, body: idempotencyKeys.responseBody }).from(idempotencyKeys)
    .where(eq(idempotencyKeys.merchantId, merchantId));
  return { sessions: sessions.map((s) => s.id), keys };
}

describe("batched session writes", () => {
  it("60 concurrent creates commit every row and key in fewer statements than writes", async () => {
    const scope = await merchantScope();
    const before = insertBatchStats();
    const results = await Promise.all(Array.from({ length: 60 }, () => create(scope, randomUUID())));
    const after = insertBatchStats();
    expect(results.every((r) => !r.replayed)).toBe(true);
    expect(after.writes - before.writes).toBe(60);
    expect(after.statements - before.statements).toBeLessThan(60);
    expect(after.retriedAlone).toBe(before.retriedAlone);
    const { sessions, keys } = await rowsOf(scope.merchantId);
    expect(sessions.sort()).toEqual(results.map((r) => r.id).sort());
    expect(keys).toHaveLength(60);
    // each key row stores its own request's response
    for (const r of results) expect(keys.some((k) => k.body === JSON.stringify({ sessionId: r.id }))).toBe(true);
  });

  it("a batch holding a retry of a committed key: the others commit, the retry gets the first response", async () => {
    const scope = await merchantScope();
    const key = randomUUID();
    const first = await create(scope, key);
    const before = insertBatchStats();
    // the first goes out alone; the retry and the rest wait for it and leave as one batch
    const fresh = Array.from({ length: 10 }, () => randomUUID());
    const results = await Promise.all([
      ...fresh.slice(0, 4).map((k) => create(scope, k)),
      create(scope, key),
      ...fresh.slice(4).map((k) => create(scope, k)),
    ]);
    const retry = results[4];
    const others = results.filter((_, i) => i !== 4);
    expect(insertBatchStats().retriedAlone - before.retriedAlone).toBeGreaterThan(0);
    expect(retry.replayed).toBe(true);
    expect(retry.response.body).toBe(JSON.stringify({ sessionId: first.id }));
    expect(others.every((r) => !r.replayed)).toBe(true);
    const { sessions, keys } = await rowsOf(scope.merchantId);
    expect(sessions.sort()).toEqual([first.id, ...others.map((r) => r.id)].sort());
    expect(keys.map((k) => k.key).sort()).toEqual([key, ...fresh].sort());
  });

  it("the same key twice in one batch: one session, the second caller gets the first one's response", async () => {
    const scope = await merchantScope();
    const key = randomUUID();
    const fill = Array.from({ length: 4 }, () => create(scope, randomUUID()));
    const twins = [create(scope, key), create(scope, key)];
    await Promise.all(fill);
    const [a, b] = await Promise.all(twins);
    expect([a.replayed, b.replayed].sort()).toEqual([false, true]);
    expect(a.response.body).toBe(b.response.body);
    const won = a.replayed ? b : a;
    const ids = await db().select({ id: checkouts.id }).from(checkouts)
      .where(and(eq(checkouts.merchantId, scope.merchantId), inArray(checkouts.id, [a.id, b.id])));
    expect(ids.map((r) => r.id)).toEqual([won.id]);
  });

  it("a different request under a key already used is refused as before (409), and writes nothing", async () => {
    const scope = await merchantScope();
    const key = randomUUID();
    await create(scope, key, "25");
    const fill = Array.from({ length: 4 }, () => create(scope, randomUUID()));
    const other = create(scope, key, "26").then(() => "committed", (e: Error) => e.message);
    await Promise.all(fill);
    expect(await other).toMatch(/same parameters/);
    const { sessions } = await rowsOf(scope.merchantId);
    expect(sessions).toHaveLength(5);
  });

  it("a statement stuck on a row lock does not hold up the writes behind it", async () => {
    const scope = await merchantScope();
    const key = randomUUID();
    // another connection holds the key's row uncommitted, as a concurrent duplicate would
    const blocker = new pg.Client({ connectionString: databaseUrl() });
    await blocker.connect();
    try {
      await blocker.query("begin");
      await blocker.query("insert into idempotency_keys (merchant_id, livemode, key, request_hash) values ($1, false, $2, 'other')", [scope.merchantId, key]);
      let released = false;
      const stuck = create(scope, key).then((r) => ({ ...r, afterRelease: released }));
      const others = await Promise.all(Array.from({ length: 10 }, () => create(scope, randomUUID())));
      expect(others.every((r) => !r.replayed)).toBe(true);
      expect((await rowsOf(scope.merchantId)).sessions).toHaveLength(10);
      released = true;
      await blocker.query("rollback");
      const r = await stuck;
      expect(r).toMatchObject({ replayed: false, afterRelease: true });
      expect((await rowsOf(scope.merchantId)).sessions).toHaveLength(11);
    } finally {
      await blocker.end();
    }
  });
});
