// The EVM log scanner (EVM chains and Tron) as the network runner's watcher: a pass is one tick;
// it runs again at once while behind the head (backfill) and not paused by a deep reorg.
import type { ChainConfig } from "@/lib/config";
import { logger } from "@/lib/log/logger";
import { runNetwork, type NetworkRunnerOptions, type NetworkWatcher } from "@/lib/worker/network-runner";
import type { Loop } from "@/lib/worker/loop";
import { EvmWatcher, type WatcherOptions } from "./watcher";

export function evmNetworkWatcher(watcher: EvmWatcher): NetworkWatcher {
  const log = logger.child({ network: watcher.chain.key });
  return {
    async tick() {
      const r = await watcher.tick();
      if (r.reorgs) log.warn({ reorgs: r.reorgs, checkpoint: r.checkpoint }, "reorg handled");
      return { again: !r.caughtUp && !r.paused };
    },
    reset: () => watcher.reset(),
    recordError: (err) => watcher.store.recordError(err),
  };
}

/** A watch-only runner (benchmarks, tools); the worker adds its settle and payout steps (workers/index). */
export function runEvmWatcher(chain: ChainConfig, opts: WatcherOptions & NetworkRunnerOptions): Loop & { watcher: EvmWatcher } {
  const watcher = new EvmWatcher(chain, opts);
  const running = runNetwork(chain, evmNetworkWatcher(watcher), opts);
  return { stop: running.stop, watcher };
}
