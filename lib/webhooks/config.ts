// Webhook delivery settings. Defaults follow API.md §4; the environment overrides them so tests and
// benchmarks can use a schedule of seconds (every variable is documented in README.md).
export type WebhookConfig = {
  /** seconds before retry n (1-based); the last entry repeats */
  retrySchedule: number[];
  /** no retry is scheduled later than this many seconds after the delivery was created */
  giveUpAfterSeconds: number;
  /** an endpoint failing continuously for this long is disabled */
  disableAfterSeconds: number;
  timeoutMs: number;
  concurrency: number;
  /** a job locked longer than this belongs to a dead worker and is released */
  staleLockSeconds: number;
  /** how often graphile-worker looks for jobs that became due (new jobs are announced by NOTIFY) */
  pollIntervalMs: number;
};

function num(env: Record<string, string | undefined>, name: string, dflt: number): number {
  const v = env[name];
  if (v === undefined || v === "") return dflt;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number, got "${v}"`);
  return n;
}

export function loadWebhookConfig(env: Record<string, string | undefined> = process.env): WebhookConfig {
  const schedule = (env.TOLLGATE_WEBHOOK_RETRY_SCHEDULE ?? "10,60,600,3600,21600")
    .split(",").map((s) => Number(s.trim())).filter((n) => Number.isFinite(n) && n >= 0);
  if (schedule.length === 0) throw new Error("TOLLGATE_WEBHOOK_RETRY_SCHEDULE must list seconds, e.g. 10,60,600,3600,21600");
  return {
    retrySchedule: schedule,
    giveUpAfterSeconds: num(env, "TOLLGATE_WEBHOOK_GIVE_UP_AFTER", 3 * 86400),
    disableAfterSeconds: num(env, "TOLLGATE_WEBHOOK_DISABLE_AFTER", 3 * 86400),
    timeoutMs: num(env, "TOLLGATE_WEBHOOK_TIMEOUT_MS", 10_000),
    concurrency: Math.max(1, Math.floor(num(env, "TOLLGATE_WEBHOOK_CONCURRENCY", 20))),
    staleLockSeconds: num(env, "TOLLGATE_WEBHOOK_STALE_LOCK_SECONDS", 60),
    pollIntervalMs: Math.max(50, num(env, "TOLLGATE_WEBHOOK_POLL_MS", 1000)),
  };
}

let cached: WebhookConfig | undefined;
export function webhookConfig(): WebhookConfig {
  cached ??= loadWebhookConfig();
  return cached;
}

/** Seconds to wait before the attempt after `attemptsSoFar` attempts. */
export function retryDelaySeconds(cfg: WebhookConfig, attemptsSoFar: number): number {
  const s = cfg.retrySchedule;
  return s[Math.min(attemptsSoFar - 1, s.length - 1)] ?? s[s.length - 1];
}
