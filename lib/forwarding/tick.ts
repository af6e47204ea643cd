// One forwarding pass over a chain, run by the worker every few seconds: reconcile our outbound
// transactions, then take the next step of every ready checkout. Paused while the network is not
// synced; at most one process forwards a network at a time.
import { sql } from "drizzle-orm";
import { errorMessage, reconcile } from "@/lib/chains/evm/sender";
import { tronSender } from "@/lib/chains/tron/sender";
import { isEvmLike } from "@/lib/chains/evm/watcher";
import { config, type ChainConfig } from "@/lib/config";
import { db } from "@/lib/db/client";
import { loadMnemonic } from "@/lib/keys/mnemonic";
import { logger } from "@/lib/log/logger";
import { isNetworkSynced } from "@/lib/sync/status";
import { followUpPass } from "./follow-ups";
import { advanceCheckout } from "./forward";
import { readyCheckouts } from "./ready";

export type TickOptions = {
  /** defaults to the instance mnemonic (loadMnemonic(config())) */
  mnemonic?: string;
  /** false: sign and record without broadcasting, as if the process died right after the commit (tests) */
  broadcast?: boolean;
  /** false: the caller already holds forwardingLease(chain) (a test keeping the stack's worker out) */
  lease?: boolean;
};

/** The lease (lib/worker/leases naming) whose holder forwards on a network. */
export function forwardingLease(chain: ChainConfig): string {
  return `forward:${chain.key}`;
}

let workerMnemonic: string | undefined;

export async function forwardingTick(chain: ChainConfig, opts: TickOptions = {}): Promise<void> {
  if (!isEvmLike(chain.family)) return;
  if (!(await isNetworkSynced(chain.network, chain.livemode))) {
    logger.debug({ network: chain.key }, "forwarding paused: network not synced");
    return;
  }
  const mnemonic = opts.mnemonic ?? (workerMnemonic ??= loadMnemonic(config()));
  const pass = async () => {
    // with the mnemonic: a transaction stuck past the network's thresholds is replaced with higher fees
    await (chain.family === "tron" ? tronSender(chain).reconcile({ mnemonic }) : reconcile(chain, { mnemonic }));
    for (const ready of await readyCheckouts(chain)) {
      try {
        await advanceCheckout(chain, ready, { mnemonic, broadcast: opts.broadcast });
      } catch (err) {
        logger.warn({ network: chain.key, sessionId: ready.checkout.id, err: errorMessage(err) }, "forwarding step failed; will retry");
      }
    }
    await followUpPass(chain, { mnemonic, broadcast: opts.broadcast });
  };
  if (opts.lease === false) return pass();
  // the lease, held for the pass by a transaction: another worker's pass for this network skips its turn
  await db().transaction(async (tx) => {
    const { rows } = await tx.execute<{ ok: boolean }>(sql`select pg_try_advisory_xact_lock(hashtext('tollgate:' || ${forwardingLease(chain)})) as ok`);
    if (rows[0]?.ok) await pass();
  });
}
