// npm test: every test. Installs Chromium if missing, builds the app, starts one test stack
// (fresh embedded PostgreSQL, devnet, web, worker) and runs vitest (unit + integration) and
// Playwright against it.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { litecoindBinary } from "@/lib/devnet/litecoin";
import { startTestStack } from "@/test/setup/test-stack";

const log = (m: string) => console.log(`[test] ${m}`);

function ensureChromium(): void {
  const bin = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  if (existsSync(bin)) return;
  if (process.getuid?.() !== 0) throw new Error(`${bin} is missing; install Debian's chromium (apt-get install -y chromium)`);
  log("installing Debian's chromium (browser tests)…");
  for (const args of [["update"], ["install", "-y", "--no-install-recommends", "chromium"]]) {
    const r = spawnSync("apt-get", args, { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
    if (r.status !== 0) throw new Error(`apt-get ${args.join(" ")} failed`);
  }
}

/** Debian's litecoind runs the Litecoin devnet (lib/devnet/litecoin); installed like Chromium when missing. */
function ensureLitecoind(): void {
  if (litecoindBinary()) return;
  if (process.getuid?.() !== 0) throw new Error("litecoind is missing; install Debian's litecoind (apt-get install -y litecoind)");
  log("installing Debian's litecoind (Litecoin devnet)…");
  for (const args of [["update"], ["install", "-y", "--no-install-recommends", "litecoind"]]) {
    const r = spawnSync("apt-get", args, { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
    if (r.status !== 0) throw new Error(`apt-get ${args.join(" ")} failed`);
  }
}

function run(cmd: string, args: string[], env: Record<string, string | undefined>): Promise<number> {
  return new Promise((resolve) => {
    const p = spawn(cmd, args, { stdio: "inherit", env: env as NodeJS.ProcessEnv });
    p.on("exit", (code) => resolve(code ?? 1));
  });
}

const started = Date.now();
ensureChromium();
ensureLitecoind();
const flags = ["--no-build", "--no-typecheck"];
// The type check, the production build and the test stack's start (PostgreSQL, devnets) run side
// by side; the web process waits for the build, and nothing is tested until the type check passed.
const typecheck = process.argv.includes("--no-typecheck") ? Promise.resolve(0)
  : (log("type-checking…"), run(process.execPath, ["node_modules/typescript/bin/tsc", "--noEmit", "-p", "."], process.env));
const build = process.argv.includes("--no-build") ? Promise.resolve(0)
  : (log("building the production app…"),
    // the build's own type check would repeat the one above (which covers the app's code and more)
    run(process.execPath, [path.resolve("node_modules/next/dist/bin/next"), "build"], { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", TOLLGATE_BUILD_SKIP_TYPECHECK: process.argv.includes("--no-typecheck") ? undefined : "1" }));
log("starting the test stack…");
const stackStarted = startTestStack({
  log,
  beforeWeb: async () => {
    if ((await build) !== 0) throw new Error("the production build failed");
  },
});
const checked = await typecheck;
const built = await build;
const ts = await stackStarted.catch((e) => {
  log(`the test stack did not start: ${e instanceof Error ? e.message : String(e)}`);
  return undefined;
});
if (checked !== 0 || built !== 0 || !ts) {
  if (checked !== 0) log("type check failed");
  if (built !== 0) log("build failed");
  await ts?.stop();
  process.exit(1);
}
let failed = 0;
const counts = { passed: 0, failed: 0, skipped: 0 };
const reports = mkdtempSync(path.join(os.tmpdir(), "tollgate-reports-"));
try {
  const env = { ...process.env, ...ts.testEnv };
  // file arguments: *.spec.ts are Playwright specs, the rest go to vitest; naming only one kind runs only that kind
  const args = process.argv.slice(2).filter((a) => !flags.includes(a));
  const specArgs = args.filter((a) => a.endsWith(".spec.ts"));
  const vitestArgs = args.filter((a) => !a.endsWith(".spec.ts"));
  const onlySpecs = specArgs.length > 0 && !vitestArgs.some((a) => a.endsWith(".test.ts"));
  const onlyVitest = vitestArgs.some((a) => a.endsWith(".test.ts")) && specArgs.length === 0;
  const vitestJson = path.join(reports, "vitest.json");
  if (!onlySpecs) {
    failed += (await run(process.execPath, ["node_modules/vitest/vitest.mjs", "run", "--reporter=default", "--reporter=json",
      `--outputFile.json=${vitestJson}`, ...vitestArgs], env)) === 0 ? 0 : 1;
  }
  const v = readJson<{ numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number }>(vitestJson);
  if (v) { counts.passed += v.numPassedTests; counts.failed += v.numFailedTests; counts.skipped += v.numPendingTests + v.numTodoTests; }
  if (!process.env.SKIP_E2E && !onlyVitest) {
    const pwJson = path.join(reports, "playwright.json");
    failed += (await run(process.execPath, ["node_modules/@playwright/test/cli.js", "test", "--reporter=list,json", ...specArgs],
      { ...env, PLAYWRIGHT_JSON_OUTPUT_NAME: pwJson })) === 0 ? 0 : 1;
    const p = readJson<{ stats: { expected: number; unexpected: number; flaky: number; skipped: number } }>(pwJson);
    if (p) { counts.passed += p.stats.expected + p.stats.flaky; counts.failed += p.stats.unexpected; counts.skipped += p.stats.skipped; }
  }
} finally {
  await ts.stop();
  rmSync(reports, { recursive: true, force: true });
}
if (failed && counts.failed === 0) counts.failed = failed; // a suite that failed before reporting tests
log(`finished in ${Math.round((Date.now() - started) / 1000)} s`);
console.log(`${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
process.exit(failed ? 1 : 0);

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as T;
  } catch {
    return undefined;
  }
}
