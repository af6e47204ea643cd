// npm run web: the web process alone (production: several may run behind a load balancer).
// Needs DATABASE_URL and AUTH_SECRET; applies pending migrations first (advisory-locked).
import { spawn } from "node:child_process";
import { config } from "@/lib/config";
import { runMigrations } from "@/lib/db/migrate";
import { spendingKeyVariablesIn, webProcessEnv } from "@/lib/keys/web-env";
import { nextStartArgs } from "./lib/next-start";

const cfg = config();
if (!cfg.databaseUrl) { console.error("npm run web needs DATABASE_URL (npm start runs everything on an embedded database)."); process.exit(1); }
if (!process.env.AUTH_SECRET) { console.error("npm run web needs AUTH_SECRET."); process.exit(1); }
// spending keys belong to the worker alone (npm run worker); a live web host must not hold them
const keys = spendingKeyVariablesIn(process.env);
if (keys.length && cfg.mode === "live") {
  console.error(`npm run web refuses to start in live mode with ${keys.join(", ")} set: the mnemonic belongs to the worker (npm run worker) alone; remove it from the web process's environment.`);
  process.exit(1);
}
await runMigrations(cfg.databaseUrl);
const env: Record<string, string | undefined> = { ...webProcessEnv(process.env), TOLLGATE_SERVICE: "web", AUTH_TRUST_HOST: "true" };
const child = spawn(process.execPath, nextStartArgs(cfg.port, { keepAliveMs: cfg.keepAliveMs }), { stdio: "inherit", env: env as NodeJS.ProcessEnv });
for (const sig of ["SIGINT", "SIGTERM"] as const) process.on(sig, () => child.kill(sig));
child.on("exit", (code) => process.exit(code ?? 0));
