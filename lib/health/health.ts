import { sql } from "drizzle-orm";
import { config } from "@/lib/config";
import { db } from "@/lib/db/client";

export type Health = {
  ok: boolean;
  database: { ok: boolean; error?: string };
  worker: { ok: boolean; lastHeartbeatAgeSeconds: number | null };
};

export async function health(): Promise<Health> {
  try {
    const res = await db().execute<{ age: number | null }>(
      sql`select extract(epoch from now() - max(beat_at))::float8 as age from worker_heartbeats`,
    );
    const age = res.rows[0]?.age ?? null;
    const workerOk = age !== null && age <= config().workerHeartbeatMaxAgeSeconds;
    return {
      ok: workerOk,
      database: { ok: true },
      worker: { ok: workerOk, lastHeartbeatAgeSeconds: age === null ? null : Math.round(age * 10) / 10 },
    };
  } catch {
    return { ok: false, database: { ok: false, error: "database unreachable" }, worker: { ok: false, lastHeartbeatAgeSeconds: null } };
  }
}
