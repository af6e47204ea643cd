// A periodic task that never overlaps itself, backs off on errors and stops promptly.
import { logger } from "@/lib/log/logger";

export type Loop = { stop: () => Promise<void> };

export function every(name: string, intervalMs: number, tick: () => Promise<void>, opts: { maxBackoffMs?: number } = {}): Loop {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let wake: (() => void) | undefined;
  let failures = 0;
  const done = (async () => {
    while (!stopped) {
      try {
        await tick();
        failures = 0;
      } catch (err) {
        failures++;
        logger.warn({ loop: name, failures, err: err instanceof Error ? err.message.split("\n")[0] : String(err) }, "loop tick failed");
      }
      const delay = failures ? Math.min(intervalMs * 2 ** failures, opts.maxBackoffMs ?? 30_000) : intervalMs;
      await new Promise<void>((r) => { wake = r; timer = setTimeout(r, delay); });
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      wake?.();
      await done;
    },
  };
}
