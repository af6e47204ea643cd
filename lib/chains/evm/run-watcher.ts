// Runs one network's watcher in the worker: only while this process holds the network's lease,
// back to back while behind (backfill), every pollMs once caught up, with backoff on errors.
import type { ChainConfig } from "@/lib/config";
import { logger } from "@/lib/log/logger";
import type { Leases } from "@/lib/worker/leases";
import type { Loop } from "@/lib/worker/loop";
import { EvmWatcher, type WatcherOptions } from "./watcher";

export type RunWatcherOptions = WatcherOptions & {
  leases: Leases;
  pollMs?: number;
  maxBackoffMs?: number;
  /** told when this process starts or stops holding the lease */
  onLease?: () => Promise<void>;
};

export function runEvmWatcher(chain: ChainConfig, opts: RunWatcherOptions): Loop & { watcher: EvmWatcher } {
  const watcher = new EvmWatcher(chain, opts);
  const lease = `watch:${chain.key}`;
  const pollMs = opts.pollMs ?? 1000;
  const log = logger.child({ network: chain.key });
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let wake: (() => void) | undefined;
  const sleep = (ms: number) => new Promise<void>((r) => { wake = r; timer = setTimeout(r, ms); });

  const done = (async () => {
    let failures = 0;
    let held = false;
    while (!stopped) {
      let delay = pollMs;
      try {
        const has = await opts.leases.tryAcquire(lease);
        if (has !== held) {
          held = has;
          watcher.reset(); // another worker may have moved the checkpoint meanwhile
          log.info({ held }, held ? "network lease acquired: watching" : "network lease not held");
          await opts.onLease?.();
        }
        if (has) {
          const r = await watcher.tick();
          if (!r.caughtUp && !r.paused) delay = 0;
          if (r.reorgs) log.warn({ reorgs: r.reorgs, checkpoint: r.checkpoint }, "reorg handled");
        }
        failures = 0;
      } catch (err) {
        failures++;
        delay = Math.min(pollMs * 2 ** failures, opts.maxBackoffMs ?? 30_000);
        log.warn({ failures, retryInMs: delay, err: err instanceof Error ? err.message.split("\n")[0] : String(err) }, "watcher tick failed");
        await watcher.store.recordError(err);
      }
      if (delay > 0) await sleep(delay);
      else await new Promise((r) => setImmediate(r));
    }
  })();

  return {
    watcher,
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      wake?.();
      await done;
    },
  };
}
