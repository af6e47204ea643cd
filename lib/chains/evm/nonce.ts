// Nonces for the accounts we send from (hot wallet, receivers). Callers hold the sender lock for
// the whole transaction that signs and records, so two processes never pick the same nonce.
import { and, eq, isNotNull, sql } from "drizzle-orm";
import type { Address } from "viem";
import { outboundTxs } from "@/db/schema";
import { storedAddress } from "@/lib/addresses";
import type { ChainConfig } from "@/lib/config";
import type { Tx } from "@/lib/events/emit";
import { evmClient } from "./client";

/** Serializes every signer of `from` on this network until the caller's transaction ends. */
export async function lockSender(tx: Tx, chain: ChainConfig, from: Address): Promise<void> {
  const name = `tollgate:sender:${chain.network}:${chain.livemode}:${from.toLowerCase()}`;
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${name}))`);
}

/**
 * The next nonce: one past the highest we ever recorded for the sender (its own transactions, and
 * the batch sweeps it paid for: payer_nonce), or the chain's pending count when that is higher
 * (the account was used elsewhere). Recorded rows count even before they reach the chain, so a
 * signed-but-not-broadcast transaction keeps its nonce.
 */
export async function nextNonce(tx: Tx, chain: ChainConfig, from: Address): Promise<bigint> {
  const stored = storedAddress(chain.family, from);
  const mode = and(eq(outboundTxs.network, chain.network), eq(outboundTxs.livemode, chain.livemode));
  const [own] = await tx.select({ max: sql<string | null>`max(${outboundTxs.nonce})` }).from(outboundTxs)
    .where(and(mode, eq(outboundTxs.fromAddress, stored), isNotNull(outboundTxs.nonce)));
  const [paid] = await tx.select({ max: sql<string | null>`max(${outboundTxs.payerNonce})` }).from(outboundTxs)
    .where(and(mode, eq(outboundTxs.feePayer, stored), isNotNull(outboundTxs.payerNonce)));
  const highest = [own?.max, paid?.max].filter((v): v is string => v != null).map(BigInt).reduce((a, b) => (a > b ? a : b), -1n);
  const recorded = highest + 1n;
  const pending = BigInt(await evmClient(chain).getTransactionCount({ address: from, blockTag: "pending" }));
  return recorded > pending ? recorded : pending;
}
