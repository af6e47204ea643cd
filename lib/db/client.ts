// One pg pool and drizzle instance per process.
import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import pg from "pg";
import * as schema from "@/db/schema";
import { logger } from "@/lib/log/logger";

export type Db = NodePgDatabase<typeof schema>;

type Holder = { pool?: pg.Pool; db?: Db };
// Survives Next.js dev hot reloads, which re-evaluate modules but keep globalThis.
const holder = ((globalThis as Record<string, unknown>).__tollgateDb ??= {}) as Holder;

export function databaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set (npm start sets it for the embedded PostgreSQL)");
  return url;
}

export function pool(): pg.Pool {
  if (!holder.pool) {
    const p = new pg.Pool({
      connectionString: databaseUrl(),
      max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
      idleTimeoutMillis: 30_000,
    });
    // An idle connection dropped by the server (restart, failover, shutdown) must not crash the
    // process: the pool discards it and the next query opens a new one.
    p.on("error", (err) => logger.warn({ err: err.message }, "idle database connection lost"));
    holder.pool = p;
  }
  return holder.pool;
}

export function db(): Db {
  holder.db ??= drizzle(pool(), { schema });
  return holder.db;
}

export async function closeDb(): Promise<void> {
  const p = holder.pool;
  holder.pool = undefined;
  holder.db = undefined;
  await p?.end();
}
