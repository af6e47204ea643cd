// The withdrawal queue every engine works from, whatever its family: the pending rows a pass looks
// at (fair across merchants; only sweeps while payouts are paused) and the processing rows whose
// transaction became final.
import { and, eq, inArray, sql } from "drizzle-orm";
import { outboundTxs, withdrawals } from "@/db/schema";
import type { ChainConfig } from "@/lib/config";
import { db } from "@/lib/db/client";
import { payoutsPaused } from "@/lib/ledger/solvency";
import type { WithdrawalRow } from "../serialize";
import { markFailed, markProcessed } from "../transitions";

/** pending withdrawals looked at per pass, and at most this many of one merchant's */
const BATCH = 50;
const PER_MERCHANT = 5;

/** Processing withdrawals whose transaction is final: processed (confirmed) or failed. Every engine runs it first. */
export async function finishProcessing(chain: ChainConfig): Promise<void> {
  const rows = await db().select({ w: withdrawals, o: outboundTxs }).from(withdrawals)
    .innerJoin(outboundTxs, and(eq(outboundTxs.withdrawalId, withdrawals.id), inArray(outboundTxs.purpose, ["withdrawal", "sweep"])))
    .where(and(eq(withdrawals.network, chain.network), eq(withdrawals.livemode, chain.livemode), eq(withdrawals.status, "processing")));
  for (const { w, o } of rows) {
    if (o.status === "confirmed") await markProcessed(w.id, o.txHash!);
    else if (o.status === "failed") await markFailed(w.id, "processing", `transaction ${o.txHash ?? ""} failed: ${o.error ?? "unknown"}`);
  }
}

/**
 * The pending rows one pass looks at, fairly: each merchant's oldest few first (round-robin by
 * position in the merchant's own queue), so one merchant's rows that cannot be paid now never
 * keep another merchant's from being looked at. With payouts paused (solvency) only sweeps,
 * which move funds into the hot wallet.
 */
async function queue(chain: ChainConfig, paused: boolean): Promise<WithdrawalRow[]> {
  const { rows } = await db().execute<{ id: string }>(sql`
    select id::text from (
      select id, row_number() over (partition by merchant_id order by id) as rn from withdrawals
      where network = ${chain.network} and livemode = ${chain.livemode} and status = 'pending' ${paused ? sql`and kind = 'sweep'` : sql``}
    ) q where rn <= ${PER_MERCHANT} order by rn, id limit ${BATCH}`);
  if (rows.length === 0) return [];
  const order = new Map(rows.map((r, i) => [r.id, i]));
  const found = await db().select().from(withdrawals).where(inArray(withdrawals.id, rows.map((r) => BigInt(r.id))));
  return found.sort((a, b) => order.get(String(a.id))! - order.get(String(b.id))!);
}

/**
 * The rows a pass looks at (see queue). While payouts are paused (solvency) the pending payouts say
 * why and only sweeps are taken. Every engine takes its rows from here.
 */
export async function passQueue(chain: ChainConfig): Promise<WithdrawalRow[]> {
  const paused = await payoutsPaused(chain.network, chain.livemode);
  if (paused) {
    await db().update(withdrawals).set({ reason: paused, updatedAt: sql`now()` }).where(and(
      eq(withdrawals.network, chain.network), eq(withdrawals.livemode, chain.livemode), eq(withdrawals.status, "pending"),
      eq(withdrawals.kind, "payout"), sql`${withdrawals.reason} is distinct from ${paused}`,
    ));
  }
  return queue(chain, paused !== null);
}
