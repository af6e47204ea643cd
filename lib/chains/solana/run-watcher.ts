// The Solana watcher as the network runner's watcher: one pass per tick, at the runner's pace.
import type { NetworkWatcher } from "@/lib/worker/network-runner";
import { SolanaWatcher } from "./watcher";

export function solanaNetworkWatcher(watcher: SolanaWatcher): NetworkWatcher {
  return {
    async tick() {
      const r = await watcher.tick();
      return { again: r.deposits?.behind === true };
    },
    reset: () => {},
    recordError: (err) => watcher.recordError(err),
  };
}
