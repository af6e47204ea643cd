// One pg pool and drizzle instance per process, and an ambient transaction: inside
// withTransaction(), db() returns that transaction, so domain code joins it without plumbing.
import { AsyncLocalStorage } from "node:async_hooks";
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
      // no request waits on a row lock forever (idempotency duplicates wait for the first; 409 after 10 s)
      options: "-c lock_timeout=10s",
    });
    // An idle connection dropped by the server (restart, failover, shutdown) must not crash the
    // process: the pool discards it and the next query opens a new one.
    p.on("error", (err) => logger.warn({ err: err.message }, "idle database connection lost"));
    holder.pool = p;
  }
  return holder.pool;
}

const ambient = new AsyncLocalStorage<Db>();

function baseDb(): Db {
  holder.db ??= drizzle(pool(), { schema });
  return holder.db;
}

/** The ambient transaction when inside withTransaction(), else the pool-backed database. */
export function db(): Db {
  return ambient.getStore() ?? baseDb();
}

/**
 * Runs fn in a transaction that every db() call inside it joins (nested calls become savepoints).
 * Don't start fire-and-forget queries inside: they would outlive the transaction.
 */
export function withTransaction<T>(fn: () => Promise<T>): Promise<T> {
  return db().transaction((tx) => ambient.run(tx as unknown as Db, fn));
}

// Connections held outside the pool (the key cache's listener) close with it.
const closeHooks = ((globalThis as Record<string, unknown>).__tollgateDbCloseHooks ??= new Set()) as Set<() => Promise<void>>;

export function onCloseDb(fn: () => Promise<void>): void {
  closeHooks.add(fn);
}

export async function closeDb(): Promise<void> {
  await Promise.all([...closeHooks].map((fn) => fn().catch(() => {})));
  const p = holder.pool;
  holder.pool = undefined;
  holder.db = undefined;
  await p?.end();
}
