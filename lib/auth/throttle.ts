// Sign-in throttling with growing delays instead of a lock-out, shared by every web process
// (signin_throttle). Three keys per attempt, each with its own threshold and ceiling:
// - the client IP: a guesser is slowed whatever accounts it tries;
// - the account from that IP: guessing one account from one place is slowed hardest;
// - the account from anywhere: bounded to a short delay, so a stranger's failures never lock
//   the owner out (the owner's right password from another IP waits at most ACCOUNT_MAX_DELAY).
import { sql } from "drizzle-orm";
import { db } from "@/lib/db/client";

type Rule = { key: string; free: number; maxDelaySeconds: number };

/** Failures forgotten after this long without another. */
const WINDOW_SECONDS = 3600;
export const ACCOUNT_MAX_DELAY_SECONDS = 5;

export class SignInThrottledError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many sign-in attempts; try again in ${retryAfterSeconds} s.`);
  }
}

function rules(ip: string, email: string): Rule[] {
  const account = email.trim().toLowerCase();
  return [
    { key: `ip:${ip}`, free: 10, maxDelaySeconds: 15 * 60 },
    { key: `pair:${ip}|${account}`, free: 3, maxDelaySeconds: 15 * 60 },
    { key: `account:${account}`, free: 10, maxDelaySeconds: ACCOUNT_MAX_DELAY_SECONDS },
  ];
}

/** Throws SignInThrottledError while any key of this attempt must still wait. */
export async function assertNotThrottled(ip: string, email: string): Promise<void> {
  const keys = rules(ip, email).map((r) => r.key);
  const { rows } = await db().execute<{ wait: string | null }>(sql`
    SELECT ceil(extract(epoch FROM max(blocked_until) - now()))::text AS wait
    FROM signin_throttle WHERE key IN (${sql.join(keys.map((k) => sql`${k}`), sql`, `)}) AND blocked_until > now()
      AND updated_at > now() - make_interval(secs => ${WINDOW_SECONDS})`);
  const wait = Number(rows[0]?.wait ?? 0);
  if (wait > 0) throw new SignInThrottledError(wait);
}

/** Counts a failed attempt: past a key's free attempts its delay doubles (1 s, 2 s, 4 s…) up to its ceiling. */
export async function recordSignInFailure(ip: string, email: string): Promise<void> {
  for (const r of rules(ip, email)) {
    const failures = sql`CASE WHEN t.updated_at < now() - make_interval(secs => ${WINDOW_SECONDS}) THEN 1 ELSE t.failures + 1 END`;
    const until = (n: ReturnType<typeof sql>) =>
      sql`CASE WHEN ${n} > ${r.free}::int THEN now() + make_interval(secs => least(${r.maxDelaySeconds}::int, power(2, least(${n} - ${r.free}::int - 1, 20))::int)) ELSE now() END`;
    await db().execute(sql`
      INSERT INTO signin_throttle AS t (key, failures, blocked_until, updated_at) VALUES (${r.key}, 1, ${until(sql`1`)}, now())
      ON CONFLICT (key) DO UPDATE SET failures = ${failures}, blocked_until = ${until(failures)}, updated_at = now()`);
  }
  // rows past the window go now and then, not on every attempt
  if (Math.random() < 0.01) await db().execute(sql`DELETE FROM signin_throttle WHERE updated_at < now() - make_interval(secs => ${WINDOW_SECONDS})`);
}

/** A successful sign-in clears its account's keys; never the IP's (signing in to one's own account must not reset a guesser). */
export async function recordSignInSuccess(ip: string, email: string): Promise<void> {
  const keys = rules(ip, email).filter((r) => !r.key.startsWith("ip:")).map((r) => r.key);
  await db().execute(sql`DELETE FROM signin_throttle WHERE key IN (${sql.join(keys.map((k) => sql`${k}`), sql`, `)})`);
}
