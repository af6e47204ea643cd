// npm run db:migrate: applies db/migrations to DATABASE_URL, or to the embedded database of
// ./.data when DATABASE_URL is unset.
import path from "node:path";
import { config } from "@/lib/config";
import { ensureDatabase, startEmbeddedPostgres } from "@/lib/db/embedded";
import { runMigrations } from "@/lib/db/migrate";

const cfg = config();
if (cfg.databaseUrl) {
  await runMigrations(cfg.databaseUrl);
} else {
  const pg = await startEmbeddedPostgres({ dir: path.join(cfg.dataDir, "postgres"), port: Number(process.env.TOLLGATE_PG_PORT ?? 54320) });
  await ensureDatabase(pg.url("postgres"), "tollgate");
  await runMigrations(pg.url("tollgate"));
  await pg.stop();
}
console.log("migrations applied");
