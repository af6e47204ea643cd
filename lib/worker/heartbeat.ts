import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { workerHeartbeats } from "@/db/schema";
import { db } from "@/lib/db/client";

export const workerId = `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;

export async function beat(networks: string[]): Promise<void> {
  await db().insert(workerHeartbeats)
    .values({ workerId, hostname: hostname(), pid: process.pid, networks })
    .onConflictDoUpdate({ target: workerHeartbeats.workerId, set: { beatAt: sql`now()`, networks } });
}

export async function retire(): Promise<void> {
  await db().delete(workerHeartbeats).where(eq(workerHeartbeats.workerId, workerId));
  // rows of workers that vanished without retiring are only history after a day
  await db().delete(workerHeartbeats).where(sql`${workerHeartbeats.beatAt} < now() - interval '1 day'`);
}
