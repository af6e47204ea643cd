// One withdrawal pass over a chain, run by the worker every couple of seconds under a
// per-network lease. Nothing is sent while the network is not synced: pending rows say so (what
// is already final is still finished).
import { and, eq, sql } from "drizzle-orm";
import { withdrawals } from "@/db/schema";
import { config, type ChainConfig } from "@/lib/config";
import { db } from "@/lib/db/client";
import { loadMnemonic } from "@/lib/keys/mnemonic";
import { isNetworkSynced } from "@/lib/sync/status";
import { defaultLeases, type Leases } from "@/lib/worker/leases";
import { findFamily } from "@/lib/chains/registry";
import { hotWalletEngine } from "./engines/hot-wallet";
import { finishProcessing } from "./engines/queue";
import type { EngineOptions, WithdrawalEngine } from "./engines/types";

/** The engine that pays a chain's withdrawals: the family's own, else the hot-wallet engine over its payout rail, if it has one. */
function engineFor(chain: ChainConfig): WithdrawalEngine | undefined {
  const sender = findFamily(chain.family)?.sender;
  if (sender?.withdrawals) return sender.withdrawals;
  return sender?.rail && hotWalletEngine(sender.rail);
}

/** Whether anything pays withdrawals on this chain (a family engine, or the hot-wallet engine over a payout rail). */
export function paysWithdrawals(chain: ChainConfig): boolean {
  return engineFor(chain) !== undefined;
}

export const NOT_SYNCED_REASON = "waiting: the network is not synced; withdrawals are not sent until it is";

export function withdrawalLease(chain: ChainConfig): string {
  return `withdraw:${chain.key}`;
}

let workerMnemonic: string | undefined;

export type WithdrawalTickOptions = Partial<EngineOptions> & {
  /** false: the caller already keeps other processes out (tests) */
  lease?: boolean;
  /** whose lease the pass runs under (default: this process's) */
  leases?: Leases;
};

export async function withdrawalTick(chain: ChainConfig, opts: WithdrawalTickOptions = {}): Promise<void> {
  const engine = engineFor(chain);
  if (!engine) return;
  if (!(await isNetworkSynced(chain.network, chain.livemode))) {
    // only sending waits for the watcher: a withdrawal whose transaction is already final (its
    // outbound row settled while the network was synced) is finished now, not when the watcher
    // catches up (a conditional transition: another worker doing the same changes nothing)
    await finishProcessing(chain);
    await db().update(withdrawals).set({ reason: NOT_SYNCED_REASON, updatedAt: sql`now()` }).where(and(
      eq(withdrawals.network, chain.network), eq(withdrawals.livemode, chain.livemode), eq(withdrawals.status, "pending"),
      sql`${withdrawals.reason} is distinct from ${NOT_SYNCED_REASON}`,
    ));
    return;
  }
  const mnemonic = opts.mnemonic ?? (workerMnemonic ??= loadMnemonic(config()));
  const pass = () => engine.pass(chain, { mnemonic, broadcast: opts.broadcast });
  if (opts.lease === false) return pass();
  // a fenced lease row, never a transaction held across the pass's RPC calls
  await (opts.leases ?? defaultLeases()).run(withdrawalLease(chain), pass);
}
