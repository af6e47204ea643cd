// Development helper: starts the embedded PostgreSQL of ./.data, migrates, prints DATABASE_URL,
// and keeps running until Ctrl-C.
import path from "node:path";
import { ensureDatabase, startEmbeddedPostgres } from "@/lib/db/embedded";
import { runMigrations } from "@/lib/db/migrate";

const dir = path.resolve(process.env.TOLLGATE_DATA_DIR ?? ".data", "postgres");
const port = Number(process.env.TOLLGATE_PG_PORT ?? 54320);
const server = await startEmbeddedPostgres({ dir, port, log: console.log });
await ensureDatabase(server.url("postgres"), "tollgate");
await runMigrations(server.url("tollgate"));
console.log(`DATABASE_URL=${server.url("tollgate")}`);
process.on("SIGINT", async () => { await server.stop(); process.exit(0); });
