// Start-up steps that need the database wait for it: a worker started while PostgreSQL restarts
// (or before it accepts connections) waits and goes on, instead of exiting with "the database system
// is shutting down" and leaving its networks to the other workers, or to no one (issue 19, seed 71).
import type { Logger } from "@/lib/log/logger";
import { transientDbError } from "./errors";

const FIRST_DELAY_MS = 250;
const MAX_DELAY_MS = 5_000;

/** Runs `step`, again after a growing pause for as long as it fails because the database is away. */
export async function untilDatabaseReady<T>(what: string, step: () => Promise<T>, log: Logger): Promise<T> {
  for (let delay = FIRST_DELAY_MS, tries = 1; ; delay = Math.min(delay * 2, MAX_DELAY_MS), tries++) {
    try {
      return await step();
    } catch (e) {
      if (!transientDbError(e)) throw e;
      log.warn({ step: what, tries, retryInMs: delay, err: e instanceof Error ? e.message : String(e) }, "database not reachable at start-up: waiting for it");
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}
