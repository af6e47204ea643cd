// Records the chain head the worker has seen, per network, so /v1/system/sync can tell whether
// the worker keeps up. One tick = one eth_getBlockByNumber("latest").
import { sql } from "drizzle-orm";
import { networkStatus } from "@/db/schema";
import type { ChainConfig } from "@/lib/config";
import { db } from "@/lib/db/client";
import { logger } from "@/lib/log/logger";
import { evmClient } from "./client";

export async function recordHead(chain: ChainConfig): Promise<{ number: bigint; timestamp: bigint }> {
  const block = await evmClient(chain).getBlock({ blockTag: "latest" });
  if (block.number === null || block.hash === null) throw new Error("latest block has no number/hash");
  const row = {
    network: chain.network, livemode: chain.livemode, chainId: chain.chainId,
    headNumber: block.number, headHash: block.hash, headTime: new Date(Number(block.timestamp) * 1000),
    checkedAt: new Date(), lastError: null,
  };
  await db().insert(networkStatus).values(row).onConflictDoUpdate({
    target: [networkStatus.network, networkStatus.livemode],
    set: { chainId: row.chainId, headNumber: row.headNumber, headHash: row.headHash, headTime: row.headTime, checkedAt: sql`now()`, lastError: null },
  });
  return { number: block.number, timestamp: block.timestamp };
}

export async function recordHeadError(chain: ChainConfig, err: unknown): Promise<void> {
  const message = err instanceof Error ? err.message.split("\n")[0].slice(0, 500) : String(err);
  logger.warn({ network: chain.key, err: message }, "head tracking failed");
  await db().update(networkStatus).set({ lastError: message })
    .where(sql`${networkStatus.network} = ${chain.network} and ${networkStatus.livemode} = ${chain.livemode}`)
    .catch(() => {});
}
