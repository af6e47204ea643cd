// Applies db/migrations and graphile-worker's schema (webhook jobs are added by SQL in the same
// transaction as their events, so the schema must exist before any process writes an event).
// Several processes may start at once; an advisory lock serialises them.
import path from "node:path";
import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import { Logger, runMigrations as runWorkerMigrations } from "graphile-worker";

const MIGRATION_LOCK = 7_324_001;

export async function runMigrations(url: string, migrationsFolder = path.resolve("db/migrations")): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("select pg_advisory_lock($1)", [MIGRATION_LOCK]);
    await migrate(drizzle(client), { migrationsFolder });
    await runWorkerMigrations({ connectionString: url, logger: new Logger(() => () => {}) });
  } finally {
    await client.query("select pg_advisory_unlock($1)", [MIGRATION_LOCK]).catch(() => {});
    await client.end();
  }
}
