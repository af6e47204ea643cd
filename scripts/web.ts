// npm run web: the web process alone (production: several may run behind a load balancer).
// Needs DATABASE_URL and AUTH_SECRET; applies pending migrations first (advisory-locked).
import { spawn } from "node:child_process";
import path from "node:path";
import { config } from "@/lib/config";
import { runMigrations } from "@/lib/db/migrate";

const cfg = config();
if (!cfg.databaseUrl) { console.error("npm run web needs DATABASE_URL (npm start runs everything on an embedded database)."); process.exit(1); }
if (!process.env.AUTH_SECRET) { console.error("npm run web needs AUTH_SECRET."); process.exit(1); }
await runMigrations(cfg.databaseUrl);
const child = spawn(process.execPath, [path.resolve("node_modules/next/dist/bin/next"), "start", "-p", String(cfg.port), "--keepAliveTimeout", String(cfg.keepAliveMs)], {
  stdio: "inherit", env: { ...process.env, TOLLGATE_SERVICE: "web", AUTH_TRUST_HOST: "true" },
});
for (const sig of ["SIGINT", "SIGTERM"] as const) process.on(sig, () => child.kill(sig));
child.on("exit", (code) => process.exit(code ?? 0));
