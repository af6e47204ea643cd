// npm run sim -- --trials N --seed S [--trial K] [--concurrency C] [--settle-seconds T] [--keep]
// The simulation (issue 19): seeded random faults over the whole engine; see test/sim/run.ts.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { NEXT_BIN } from "@/scripts/lib/next-start";

// the simulation's own process logs nothing of the product's (its pool sees PostgreSQL restarts)
process.env.LOG_LEVEL = "silent";
const { report, runSim } = await import("@/test/sim/run");

const { values } = parseArgs({
  options: {
    trials: { type: "string", default: "20" },
    seed: { type: "string", default: "1" },
    trial: { type: "string" },
    concurrency: { type: "string", default: "12" },
    "settle-seconds": { type: "string", default: "120" },
    keep: { type: "boolean", default: false },
  },
});
if (!existsSync(".next/BUILD_ID")) {
  console.log("[sim] no production build yet: running next build…");
  const b = spawnSync(process.execPath, [NEXT_BIN, "build"], { stdio: "inherit", env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" } });
  if (b.status !== 0) throw new Error("next build failed");
}
const num = (name: string, v: string | undefined) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer, got "${v}"`);
  return n;
};
// Ctrl-C / SIGTERM: the world's processes (PostgreSQL, anvil, web, worker) are stopped, not orphaned
const abort = new AbortController();
for (const sig of ["SIGINT", "SIGTERM"] as const) process.once(sig, () => abort.abort());
const result = await runSim({
  signal: abort.signal,
  trials: num("trials", values.trials),
  seed: num("seed", values.seed),
  only: values.trial === undefined ? undefined : num("trial", values.trial),
  concurrency: Math.max(1, num("concurrency", values.concurrency)),
  settleMs: num("settle-seconds", values["settle-seconds"]) * 1000,
  keep: values.keep,
});
report(result);
process.exit(result.violations ? 1 : 0);
