// A merchant's settlement policy per network (issue 21 item 3): forward each checkout at once (no
// row, the default), or settle in batches — a confirmed checkout is assigned to the merchant's next
// batch at once (it succeeds; the ledger shows the funds as the merchant's, `settling`) and the
// batch is forwarded when what waits reaches a threshold in US dollars or its oldest part has
// waited long enough. Cheap networks stay instant; expensive ones amortise the sweep.
import { and, eq, sql } from "drizzle-orm";
import { settlementPolicies } from "@/db/schema";
import { familyOf } from "@/lib/chains/registry";
import type { ChainConfig } from "@/lib/config";
import { db } from "@/lib/db/client";
import type { Executor } from "@/lib/events/emit";
import { PEGS, quoteNow } from "@/lib/rates";
import { displayCentsFor } from "@/lib/rates/decimal";
import type { BatchPolicy } from "./limits";

export { MAX_BATCH_MIN_CENTS, MAX_BATCH_WAIT_MINUTES, type BatchPolicy } from "./limits";

/**
 * Batching needs a forward the worker starts on its own schedule: the account families' forwards
 * (EVM, Tron). Custodial checkouts (Solana, TON) and direct payments settle as they do today.
 */
export function batchable(chain: ChainConfig): boolean {
  const f = familyOf(chain);
  return f.settlement === "forward" && !!f.sender?.rail && !f.custodialCheckouts;
}

/** The merchant's batch policy on the chain's network and mode; null: forward at once. */
export async function batchPolicy(merchantId: string, chain: Pick<ChainConfig, "network" | "livemode">, exec: Executor = db()): Promise<BatchPolicy | null> {
  const [row] = await exec.select({ minCents: settlementPolicies.minCents, maxWaitMinutes: settlementPolicies.maxWaitMinutes })
    .from(settlementPolicies)
    .where(and(eq(settlementPolicies.merchantId, merchantId), eq(settlementPolicies.network, chain.network), eq(settlementPolicies.livemode, chain.livemode)));
  return row ?? null;
}

/** Every policy of a merchant, keyed `<network>.<test|live>` like settlement addresses. */
export async function merchantPolicies(merchantId: string, exec: Executor = db()): Promise<Map<string, BatchPolicy>> {
  const rows = await exec.select().from(settlementPolicies).where(eq(settlementPolicies.merchantId, merchantId));
  return new Map(rows.map((r) => [`${r.network}.${r.livemode ? "live" : "test"}`, { minCents: r.minCents, maxWaitMinutes: r.maxWaitMinutes }]));
}

/** Sets (or with null removes) the merchant's policy on a network; removing it makes what waits due at once. */
export async function setBatchPolicy(exec: Executor, merchantId: string, network: string, livemode: boolean, policy: BatchPolicy | null): Promise<void> {
  const key = and(eq(settlementPolicies.merchantId, merchantId), eq(settlementPolicies.network, network), eq(settlementPolicies.livemode, livemode));
  if (policy === null) {
    await exec.delete(settlementPolicies).where(key);
    return;
  }
  await exec.insert(settlementPolicies).values({ merchantId, network, livemode, ...policy })
    .onConflictDoUpdate({
      target: [settlementPolicies.merchantId, settlementPolicies.network, settlementPolicies.livemode],
      set: { ...policy, updatedAt: sql`now()` },
      setWhere: sql`(${settlementPolicies.minCents}, ${settlementPolicies.maxWaitMinutes}) is distinct from (excluded.min_cents, excluded.max_wait_minutes)`,
    });
}

/** One part of a batch waiting: a settlement group's amount, in its asset, and when it was assigned. */
export type Waiting = { units: bigint; decimals: number; symbol: string; since: Date };

/**
 * US cents of `units` of an asset: stablecoins pegged to USD at face value, anything else at the
 * rate provider's price; null when no price can be had (that part then counts by age only).
 */
export async function usdCents(w: Pick<Waiting, "units" | "decimals" | "symbol">): Promise<bigint | null> {
  let rate = "1";
  if (PEGS[w.symbol] !== "USD") {
    const r = await usdRate(w.symbol);
    if (r === null) return null;
    rate = r;
  }
  return displayCentsFor(w.units, rate, w.decimals);
}

// Each forwarding pass asks for what waits: a quote is reused until it expires (RATES_QUOTE_TTL_SECONDS),
// so the rate provider sees one request per asset and TTL, not one per group and pass. A failure is
// remembered for a minute.
const quotes = new Map<string, { rate: string | null; until: number }>();

async function usdRate(symbol: string): Promise<string | null> {
  const hit = quotes.get(symbol);
  if (hit && hit.until > Date.now()) return hit.rate;
  try {
    const q = await quoteNow(symbol, "USD");
    quotes.set(symbol, { rate: q.rate, until: q.expiresAt.getTime() });
    return q.rate;
  } catch {
    quotes.set(symbol, { rate: null, until: Date.now() + 60_000 });
    return null;
  }
}

/**
 * Is the merchant's batch due: no policy any more (forward what waits at once), what waits reaches
 * the threshold, or its oldest part has waited the policy's longest wait. `cents` of each part
 * (null: no price) as usdCents gives them.
 */
export function batchDue(policy: BatchPolicy | null, parts: readonly { cents: bigint | null; since: Date }[], now: Date): { due: boolean; why: string } {
  if (parts.length === 0) return { due: false, why: "nothing waits" };
  if (!policy) return { due: true, why: "forward at once (no batch policy)" };
  const total = parts.reduce((s, p) => s + (p.cents ?? 0n), 0n);
  if (total >= BigInt(policy.minCents)) return { due: true, why: `${fmtCents(total)} waiting reaches ${fmtCents(BigInt(policy.minCents))}` };
  const oldest = Math.min(...parts.map((p) => p.since.getTime()));
  if (now.getTime() - oldest >= policy.maxWaitMinutes * 60_000) return { due: true, why: `the oldest part has waited ${policy.maxWaitMinutes} min` };
  return { due: false, why: `${fmtCents(total)} of ${fmtCents(BigInt(policy.minCents))} waiting` };
}

const fmtCents = (c: bigint) => `$${c / 100n}.${String(c % 100n).padStart(2, "0")}`;
