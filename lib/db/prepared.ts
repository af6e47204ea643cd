// Hot reads as drizzle prepared statements: the query is built once per process (drizzle's
// builder is a measurable share of a request's CPU) and node-postgres prepares it by name once
// per pooled connection (PostgreSQL parses and plans it once). They run on the pool, never in
// the ambient transaction: callers that may be inside one use the query builder instead.
import { poolDb, type Db } from "./client";

/** A lazily built prepared statement, rebuilt when the pool is replaced (closeDb, tests). */
export function preparedQuery<Q>(build: (db: Db) => Q): () => Q {
  let cached: { on: Db; query: Q } | undefined;
  return () => {
    const on = poolDb();
    if (cached?.on !== on) cached = { on, query: build(on) };
    return cached.query;
  };
}

/** Whether `exec` is the pool-backed database (so a prepared statement may stand in for it). */
export function isPoolDb(exec: unknown): boolean {
  return exec === poolDb();
}
