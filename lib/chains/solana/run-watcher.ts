// Runs the Solana watcher in the worker while this process holds the network's lease (one active
// watcher per network across workers), every pollMs, backing off on errors.
import type { ChainConfig } from "@/lib/config";
import { logger } from "@/lib/log/logger";
import type { Leases } from "@/lib/worker/leases";
import { every, type Loop } from "@/lib/worker/loop";
import { SolanaWatcher } from "./watcher";

export function runSolanaWatcher(chain: ChainConfig, opts: { leases: Leases; pollMs?: number; onLease?: () => Promise<void> }): Loop & { watcher: SolanaWatcher } {
  const watcher = new SolanaWatcher(chain);
  const lease = `watch:${chain.key}`;
  const log = logger.child({ network: chain.key });
  let held = false;
  const loop = every(lease, opts.pollMs ?? 1000, async () => {
    const has = await opts.leases.tryAcquire(lease);
    if (has !== held) {
      held = has;
      log.info({ held }, held ? "network lease acquired: watching" : "network lease not held");
      await opts.onLease?.();
    }
    if (!has) return;
    try {
      await watcher.tick();
    } catch (err) {
      await watcher.recordError(err);
      throw err;
    }
  });
  return { ...loop, watcher };
}
