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

function poolSizes(): { max: number; min: number } {
  const max = Math.max(1, Number(process.env.DATABASE_POOL_SIZE ?? 10) || 10);
  const min = Math.min(max, Math.max(0, Number(process.env.DATABASE_POOL_MIN ?? max) || 0));
  return { max, min };
}

/** DATABASE_POOL_ACQUIRE_TIMEOUT_MS: how long a query waits for a pool connection (default 10 s). */
function acquireTimeoutMs(): number {
  const v = Number(process.env.DATABASE_POOL_ACQUIRE_TIMEOUT_MS ?? 10_000);
  return Number.isFinite(v) && v >= 100 ? Math.floor(v) : 10_000;
}

export function pool(): pg.Pool {
  if (!holder.pool) {
    const { max, min } = poolSizes();
    const p = new pg.Pool({
      connectionString: databaseUrl(),
      // A fixed-size pool by default (min = max): a PostgreSQL connection costs a backend process
      // and tens of milliseconds to open and warm, and opening them under a burst — or after an
      // idle spell closed them — showed as 50–100 ms stalls in session create's p99.
      max,
      min,
      idleTimeoutMillis: 30_000, // only connections above min close when idle
      // no caller waits for a connection forever: a pool pinned by a bug fails loudly and lets go
      connectionTimeoutMillis: acquireTimeoutMs(),
      // no request waits on a row lock forever (idempotency duplicates wait for the first; 409 after 10 s)
      options: "-c lock_timeout=10s",
    });
    // An idle connection dropped by the server (restart, failover, shutdown) must not crash the
    // process: the pool discards it and the next query opens a new one.
    p.on("error", (err) => logger.warn({ err: err.message }, "idle database connection lost"));
    // …and so must one dropped while it is checked out between two queries of a transaction (the
    // pool listens only to idle ones): the transaction's next query fails and rolls back, the
    // process lives on, and the pool replaces the connection.
    p.on("connect", (client) => client.on("error", (err) => logger.warn({ err: err.message }, "database connection lost while in use")));
    holder.pool = p;
  }
  return holder.pool;
}

/**
 * Opens the pool's minimum connections now (the web server calls this at start, from
 * instrumentation.ts), so the first requests do not pay for them. Errors are only logged: a
 * database that is down at start is retried by the requests themselves.
 */
export async function warmPool(): Promise<void> {
  const { min } = poolSizes();
  const p = pool();
  const clients = await Promise.allSettled(Array.from({ length: min }, () => p.connect()));
  for (const c of clients) if (c.status === "fulfilled") c.value.release();
  const failed = clients.find((c) => c.status === "rejected");
  if (failed) logger.warn({ err: String((failed as PromiseRejectedResult).reason) }, "warming the database pool failed");
}

const ambient = new AsyncLocalStorage<Db>();

/** The pool-backed database, never the ambient transaction. */
export function poolDb(): Db {
  holder.db ??= drizzle(pool(), { schema });
  return holder.db;
}

/** The ambient transaction when inside withTransaction(), else the pool-backed database. */
export function db(): Db {
  return ambient.getStore() ?? poolDb();
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
