// One runner per network (DOMAIN.md "Chain families and the worker"): a single loop that, in
// order, watches the chain (credits, confirmations, reorgs), reconciles the transactions we sent
// and settles what is ready (forwarding, for families that hold custody), pays out queued
// withdrawals, and now and then compares holdings with what merchants are owed. Each step runs
// under the network's fenced lease rows (lib/worker/leases: `watch:`, `forward:`, `withdraw:`), so
// across workers exactly one process does each, a worker that lost a lease cannot sign, and no
// step holds a transaction or a connection across its RPC calls. While the watcher is behind
// (backfill) it watches back to back; settling and paying out keep their own pace.
import type { ChainConfig } from "@/lib/config";
import { logger } from "@/lib/log/logger";
import type { Leases } from "./leases";
import type { Loop } from "./loop";

/** A family's watcher for one network (lib/chains/<family>). */
export type NetworkWatcher = {
  /** one pass; `again`: still behind the head, run the next pass at once */
  tick(): Promise<{ again: boolean }>;
  /** forget what was cached: another worker may have moved the checkpoint */
  reset(): void;
  /** shown in /v1/system/sync and /healthz */
  recordError(err: unknown): Promise<void>;
};

/** A step after watching: settle, pay out, check solvency. Each brings its own lease. */
export type NetworkStep = { name: string; everyMs: number; run(): Promise<unknown> };

export type NetworkRunnerOptions = {
  leases: Leases;
  pollMs?: number;
  maxBackoffMs?: number;
  /** told when this process starts or stops holding the network's watch lease */
  onLease?: () => Promise<void>;
  /** the steps after watching, in order (none: a watch-only runner, e.g. a benchmark) */
  steps?: readonly NetworkStep[];
};

const message = (err: unknown) => (err instanceof Error ? err.message.split("\n")[0] : String(err));

export function runNetwork<W extends NetworkWatcher>(chain: ChainConfig, watcher: W, opts: NetworkRunnerOptions): Loop & { watcher: W } {
  const lease = `watch:${chain.key}`;
  const pollMs = opts.pollMs ?? 1000;
  const log = logger.child({ network: chain.key });
  const steps = (opts.steps ?? []).map((s) => ({ ...s, due: 0, failures: 0 }));
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let wake: (() => void) | undefined;
  const sleep = (ms: number) => new Promise<void>((r) => { wake = r; timer = setTimeout(r, ms); });

  const done = (async () => {
    let failures = 0;
    let held = false;
    while (!stopped) {
      let delay = pollMs;
      // 1. watch
      try {
        const has = await opts.leases.tryAcquire(lease);
        if (has !== held) {
          held = has;
          watcher.reset();
          log.info({ held }, held ? "network lease acquired: watching" : "network lease not held");
          await opts.onLease?.();
        }
        if (has && (await watcher.tick()).again) delay = 0;
        failures = 0;
      } catch (err) {
        failures++;
        delay = Math.min(pollMs * 2 ** failures, opts.maxBackoffMs ?? 30_000);
        log.warn({ failures, retryInMs: delay, err: message(err) }, "watcher tick failed");
        await watcher.recordError(err).catch(() => {});
      }
      // 2. reconcile and settle, 3. pay out, 4. solvency: each at its own pace, after the watch
      for (const s of steps) {
        if (stopped || Date.now() < s.due) continue;
        try {
          await s.run();
          s.failures = 0;
        } catch (err) {
          s.failures++;
          log.warn({ step: s.name, failures: s.failures, err: message(err) }, "network step failed");
        }
        s.due = Date.now() + (s.failures ? Math.min(s.everyMs * 2 ** s.failures, opts.maxBackoffMs ?? 30_000) : s.everyMs);
      }
      if (stopped) break;
      if (steps.length) delay = Math.min(delay, Math.max(0, Math.min(...steps.map((s) => s.due)) - Date.now()));
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
