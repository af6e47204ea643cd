import { sql } from "drizzle-orm";
import { config } from "@/lib/config";
import { db } from "@/lib/db/client";

export type Health = {
  ok: boolean;
  database: { ok: boolean; error?: string };
  worker: { ok: boolean; lastHeartbeatAgeSeconds: number | null };
  /** networks whose payouts the solvency check paused (an alert for the operator; readiness is not affected) */
  payoutsPaused: { network: string; livemode: boolean }[];
};

export async function health(): Promise<Health> {
  try {
    const res = await db().execute<{ age: number | null }>(
      sql`select extract(epoch from now() - max(beat_at))::float8 as age from worker_heartbeats`,
    );
    const age = res.rows[0]?.age ?? null;
    const paused = await db().execute<{ network: string; livemode: boolean }>(
      sql`select network, livemode from network_status where payouts_paused_reason is not null order by network, livemode`,
    );
    const workerOk = age !== null && age <= config().workerHeartbeatMaxAgeSeconds;
    return {
      ok: workerOk,
      database: { ok: true },
      worker: { ok: workerOk, lastHeartbeatAgeSeconds: age === null ? null : Math.round(age * 10) / 10 },
      payoutsPaused: paused.rows,
    };
  } catch {
    return { ok: false, database: { ok: false, error: "database unreachable" }, worker: { ok: false, lastHeartbeatAgeSeconds: null }, payoutsPaused: [] };
  }
}
