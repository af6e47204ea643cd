// One withdrawal pass over a chain, run by the worker every couple of seconds under a
// per-network lease. Nothing is sent while the network is not synced: pending rows say so.
import { and, eq, sql } from "drizzle-orm";
import { withdrawals } from "@/db/schema";
import { config, type ChainConfig } from "@/lib/config";
import type { NetworkFamily } from "@/lib/config/networks";
import { db } from "@/lib/db/client";
import { loadMnemonic } from "@/lib/keys/mnemonic";
import { isNetworkSynced } from "@/lib/sync/status";
import { evmEngine, tronEngine } from "./engines/hot-wallet";
import type { EngineOptions, WithdrawalEngine } from "./engines/types";

const ENGINES: Partial<Record<NetworkFamily, WithdrawalEngine>> = { evm: evmEngine, tron: tronEngine };

export const NOT_SYNCED_REASON = "waiting: the network is not synced; withdrawals are not sent until it is";

export function withdrawalLease(chain: ChainConfig): string {
  return `withdraw:${chain.key}`;
}

let workerMnemonic: string | undefined;

export type WithdrawalTickOptions = Partial<EngineOptions> & {
  /** false: the caller already keeps other processes out (tests) */
  lease?: boolean;
};

export async function withdrawalTick(chain: ChainConfig, opts: WithdrawalTickOptions = {}): Promise<void> {
  const engine = ENGINES[chain.family];
  if (!engine) return;
  if (!(await isNetworkSynced(chain.network, chain.livemode))) {
    await db().update(withdrawals).set({ reason: NOT_SYNCED_REASON, updatedAt: sql`now()` }).where(and(
      eq(withdrawals.network, chain.network), eq(withdrawals.livemode, chain.livemode), eq(withdrawals.status, "pending"),
      sql`${withdrawals.reason} is distinct from ${NOT_SYNCED_REASON}`,
    ));
    return;
  }
  const mnemonic = opts.mnemonic ?? (workerMnemonic ??= loadMnemonic(config()));
  const pass = () => engine.pass(chain, { mnemonic, broadcast: opts.broadcast });
  if (opts.lease === false) return pass();
  await db().transaction(async (tx) => {
    const { rows } = await tx.execute<{ ok: boolean }>(sql`select pg_try_advisory_xact_lock(hashtext('tollgate:' || ${withdrawalLease(chain)})) as ok`);
    if (rows[0]?.ok) await pass();
  });
}
