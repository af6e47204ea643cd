// A fresh, migrated database on the test stack's PostgreSQL server, and this process's lib/db
// switched to it: for tests that run workers or chains of their own and must not see the shared
// database's rows.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";
import { closeDb } from "@/lib/db/client";
import { runMigrations } from "@/lib/db/migrate";

/** Creates `<prefix>_<random>`, migrates it, points DATABASE_URL (and db()) at it; returns its name and URL. */
export async function useOwnDatabase(prefix: string): Promise<{ dbName: string; databaseUrl: string }> {
  const env = inject("testEnv");
  const dbName = `${prefix}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: env.adminUrl });
  await admin.connect();
  await admin.query(`create database ${dbName}`);
  await admin.end();
  const databaseUrl = env.databaseUrl.replace(/\/[^/?]+(\?|$)/, `/${dbName}$1`);
  await runMigrations(databaseUrl);
  await closeDb();
  process.env.DATABASE_URL = databaseUrl;
  return { dbName, databaseUrl };
}
