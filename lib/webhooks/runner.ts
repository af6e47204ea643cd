// The worker's webhook runner: graphile-worker executes delivery jobs (first attempt immediately,
// woken by the NOTIFY of add_job). A job locked by a worker that died (SIGKILL, crash) would stay
// locked for graphile-worker's 4 hours; a sweep releases webhook jobs locked for longer than any
// attempt can take, so they run again (at-least-once: a rare duplicate, never a loss).
import { Logger, makeWorkerUtils, run, type Runner, type Task, type WorkerUtils } from "graphile-worker";
import pg from "pg";
import { logger } from "@/lib/log/logger";
import { every, type Loop } from "@/lib/worker/loop";
import { webhookConfig } from "./config";
import { deliver } from "./deliver";
import { DELIVER_TASK } from "./enqueue";

const log = logger.child({ component: "webhooks" });

// 57P01 admin_shutdown: the server ended the connection (restart, failover, shutdown) — the
// pool reconnects; a warning, not an error of ours
const ADMIN_SHUTDOWN = "57P01";

const gwLogger = new Logger((scope) => (level, message, meta) => {
  const fields = { component: "graphile-worker", ...scope, ...meta };
  const code = (meta?.error as { code?: unknown } | undefined)?.code;
  if (level === "error" && code !== ADMIN_SHUTDOWN) log.error(fields, message);
  else if (level === "error" || level === "warning") log.warn(fields, message);
  else log.debug(fields, message);
});

const deliverTask: Task = async (payload) => {
  const p = payload as { deliveryId?: string; manual?: boolean };
  if (typeof p?.deliveryId !== "string") return;
  await deliver(p.deliveryId, { manual: p.manual === true });
};

export type WebhookRunner = { stop: () => Promise<void> };

export async function startWebhookRunner(connectionString: string): Promise<WebhookRunner> {
  const cfg = webhookConfig();
  // Our own pool for graphile-worker and its utils, with an error listener: without one, an idle
  // connection the server ends (restart, failover, `pg_terminate_backend`, Ctrl-C on `npm start`)
  // is an unhandled 'error' event that kills the worker. The pool drops it and reconnects.
  const pgPool = new pg.Pool({ connectionString, max: cfg.concurrency + 3 });
  pgPool.on("error", (err) => log.warn({ err: err.message }, "idle webhook-runner database connection lost"));
  // and on every client while it is checked out (a LISTEN connection is held for good): its error
  // then fails the query in flight or ends that client, never the process
  pgPool.on("connect", (client) => client.on("error", (err) => log.warn({ err: err.message }, "webhook-runner database connection lost")));
  const options = {
    pgPool,
    concurrency: cfg.concurrency,
    noHandleSignals: true,
    pollInterval: cfg.pollIntervalMs,
    logger: gwLogger,
    taskList: { [DELIVER_TASK]: deliverTask },
    // Fetch (and lock) a batch of due jobs per query instead of one per attempt, and complete
    // finished jobs in batches: two fewer round trips per delivery under load. A batch is at most
    // `concurrency` jobs, so a locked job waits at most one attempt's timeout before it runs —
    // well inside the stale-lock window of the sweep below.
    preset: { worker: { localQueue: { size: cfg.concurrency }, completeJobBatchDelay: 0, failJobBatchDelay: 0 } },
  };
  // graphile-worker shuts its pool down by itself when it cannot record a batch of finished jobs
  // ("Could not failJobs; queue is in an inconsistent state", e.g. the database restarting under
  // it): the rest of the worker runs on, so without a new runner no webhook would be sent again
  // (found by the simulation, issue 19). The new one starts as soon as the old pool begins to shut
  // down, not when it has finished: that waits for every attempt still in flight and, after some
  // outages, did not finish for minutes (issue 19, seed 31). A pool that lingers is killed. The
  // jobs it held are released by the stale-lock sweep.
  let stopping = false;
  let runner: Runner;
  let utils: WorkerUtils;
  try {
    utils = await makeWorkerUtils({ pgPool, logger: gwLogger });
    runner = await run(options);
  } catch (e) {
    // nothing of this attempt stays behind: the caller may try again once the database is back
    await Promise.resolve(utils!?.release()).catch(() => {});
    await pgPool.end().catch(() => {});
    throw e;
  }
  const restart = (delayMs: number) => setTimeout(() => {
    if (stopping) return;
    run(options).then((next) => { runner = next; supervise(next); }, (e) => {
      log.warn({ err: e instanceof Error ? e.message : String(e) }, "webhook runner could not start: retrying");
      restart(Math.min(delayMs * 2, 30_000));
    });
  }, delayMs);
  const supervise = (r: Runner) => {
    let replaced = false;
    const ended = (how: string, err?: unknown) => {
      if (stopping || replaced || r !== runner) return;
      replaced = true;
      log.error({ err: err instanceof Error ? err.message : err ?? null, how }, "webhook runner stopped by itself: starting a new one");
      const linger = setTimeout(() => { r.kill("replaced: its shutdown did not finish").catch(() => {}); }, 30_000);
      linger.unref();
      r.promise.finally(() => clearTimeout(linger)).catch(() => {});
      restart(1000);
    };
    r.events.on("pool:gracefulShutdown", ({ message }) => ended(`its pool began to shut down: ${message}`));
    r.promise.then(() => ended("it ended"), (e) => ended("it failed", e));
  };
  supervise(runner);
  const sweep: Loop = every("webhook-stale-locks", Math.max(1000, Math.min(10_000, cfg.staleLockSeconds * 500)), async () => {
    const { rows } = await utils.withPgClient((c) => c.query<{ locked_by: string }>(
      `select distinct locked_by from graphile_worker.jobs
       where task_identifier = $1 and locked_at < now() - make_interval(secs => $2) and locked_by is not null`,
      [DELIVER_TASK, cfg.staleLockSeconds]));
    // an attempt lasts at most the timeout, so a lock this old is not a live attempt of any worker
    const ids = rows.map((r) => r.locked_by);
    if (ids.length) {
      log.warn({ workers: ids }, "releasing webhook jobs of workers that stopped");
      await utils.forceUnlockWorkers(ids);
    }
  });
  log.info({ concurrency: cfg.concurrency }, "webhook runner started");
  return {
    stop: async () => {
      stopping = true;
      await sweep.stop();
      await runner.stop().catch(() => {});
      await utils.release();
      await pgPool.end();
    },
  };
}
