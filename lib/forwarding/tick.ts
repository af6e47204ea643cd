// One forwarding pass over a chain, run by the worker every few seconds: reconcile our outbound
// transactions, then take the next step of every ready checkout. Paused while the network is not
// synced; at most one process forwards a network at a time (a fenced lease, lib/worker/leases).
import { errorMessage } from "@/lib/chains/evm/sender";
import { familyOf } from "@/lib/chains/registry";
import { config, type ChainConfig } from "@/lib/config";
import { loadMnemonic } from "@/lib/keys/mnemonic";
import { logger } from "@/lib/log/logger";
import { isNetworkSynced } from "@/lib/sync/status";
import { defaultLeases, LeaseLostError, type Leases } from "@/lib/worker/leases";
import { SweepBatch, sweeperUnavailable } from "@/lib/chains/evm/sweeper";
import { HOT_WALLET_INDEX } from "@/lib/keys/derive";
import { forwardSigners } from "./context";
import { followUpPass } from "./follow-ups";
import { batchable, batchPolicy, type BatchPolicy } from "@/lib/settlement/policy";
import { batchedPass } from "./batched";
import { advanceCheckout, forwardToken } from "./forward";
import { readyCheckouts } from "./ready";
import { refundActionsPass } from "./refund-actions";

export type TickOptions = {
  /** defaults to the instance mnemonic (loadMnemonic(config())) */
  mnemonic?: string;
  /** false: sign and record without broadcasting, as if the process died right after the commit (tests) */
  broadcast?: boolean;
  /** false: the caller already holds forwardingLease(chain) (a test keeping the stack's worker out) */
  lease?: boolean;
  /** whose lease the pass runs under (default: this process's) */
  leases?: Leases;
};

/** The lease (lib/worker/leases naming) whose holder forwards on a network. */
export function forwardingLease(chain: ChainConfig): string {
  return `forward:${chain.key}`;
}

let workerMnemonic: string | undefined;

/**
 * The pass's EIP-7702 batch when the chain forwards tokens by batch sweeps (ChainConfig.delegatedSweeps)
 * and its sweeper can be deployed there; undefined: one by one.
 */
function sweepBatch(chain: ChainConfig, mnemonic: string, broadcast: boolean): SweepBatch | undefined {
  if (!chain.delegatedSweeps) return undefined;
  const { hotWallet } = forwardSigners(chain, mnemonic, BigInt(HOT_WALLET_INDEX));
  return sweeperUnavailable(chain, hotWallet.address) ? undefined : new SweepBatch(chain, hotWallet, broadcast);
}

export async function forwardingTick(chain: ChainConfig, opts: TickOptions = {}): Promise<void> {
  // families whose payers pay a receiver of ours, sent on with the family's account rail, or with
  // the family's own engine for custodial checkouts (Solana's payments)
  const family = familyOf(chain);
  const custodial = family.custodialCheckouts;
  if (!custodial && (family.settlement !== "forward" || !family.sender?.rail)) return;
  if (!(await isNetworkSynced(chain.network, chain.livemode))) {
    logger.debug({ network: chain.key }, "forwarding paused: network not synced");
    return;
  }
  const mnemonic = opts.mnemonic ?? (workerMnemonic ??= loadMnemonic(config()));
  const pass = custodial ? () => custodial.forward(chain, { mnemonic, broadcast: opts.broadcast }) : async () => {
    // with the mnemonic: a transaction stuck past the network's thresholds is replaced with higher fees
    await family.sender!.reconcile(chain, { mnemonic });
    const batch = sweepBatch(chain, mnemonic, opts.broadcast ?? true);
    // each merchant's settlement policy on this network, read once per pass
    const policies = new Map<string, BatchPolicy | null>();
    const policyOf = async (merchantId: string) => {
      if (!batchable(chain)) return null;
      if (!policies.has(merchantId)) policies.set(merchantId, await batchPolicy(merchantId, chain));
      return policies.get(merchantId)!;
    };
    for (const ready of await readyCheckouts(chain)) {
      try {
        await advanceCheckout(chain, ready, { mnemonic, broadcast: opts.broadcast, batch, batchPolicy: await policyOf(ready.checkout.merchantId) });
      } catch (err) {
        if (err instanceof LeaseLostError) throw err; // another worker forwards this network now
        logger.warn({ network: chain.key, sessionId: ready.checkout.id, err: errorMessage(err) }, "forwarding step failed; will retry");
      }
    }
    // settlement batches that are due (merchants on a batch policy) join the pass's forwards
    if (batchable(chain)) await batchedPass(chain, { mnemonic, broadcast: opts.broadcast, batch, forwardToken });
    // the pass's token forwards, in one transaction
    await batch?.flush();
    await followUpPass(chain, { mnemonic, broadcast: opts.broadcast });
    // refunds merchants asked for (POST …/refund)
    await refundActionsPass(chain, { mnemonic, broadcast: opts.broadcast });
  };
  if (opts.lease === false) return pass();
  // the lease is a row, not a held transaction: no connection is pinned while the pass calls the
  // RPC, and a worker that lost the lease cannot sign (lib/worker/leases checkFence)
  await (opts.leases ?? defaultLeases()).run(forwardingLease(chain), pass);
}
