// A throwaway stack for a test run: fresh embedded PostgreSQL in a temp dir, ephemeral devnet
// on free ports, the production build served on a free port, and the worker.
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "@/lib/devnet/evm";
import { startStack, type Stack } from "@/scripts/lib/stack";
import { startRateStandIn } from "./rate-stand-in";

export type TestStack = { stack: Stack; testEnv: Record<string, string>; stop: () => Promise<void> };

export async function startTestStack(opts: { log: (m: string) => void; quiet?: boolean }): Promise<TestStack> {
  // the price APIs (lib/rates) are a local stand-in: web and worker quote through the real CoinGecko client
  const rates = await startRateStandIn();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "tollgate-test-"));
  chmodSync(dataDir, 0o755); // PostgreSQL runs as the postgres user when we are root: it must reach its data dir
  const env: Record<string, string | undefined> = {
    ...process.env,
    TOLLGATE_MODE: "test",
    TOLLGATE_DATA_DIR: dataDir,
    TOLLGATE_DEVNET: "1",
    PORT: String(await freePort()),
    TOLLGATE_PG_PORT: String(await freePort()),
    DEVNET_ETHEREUM_PORT: String(await freePort()),
    DEVNET_POLYGON_PORT: String(await freePort()),
    DEVNET_TRON_PORT: String(await freePort()),
    DEVNET_SOLANA_PORT: String(await freePort()),
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "info",
    NEXT_TELEMETRY_DISABLED: "1",
    // low enough that the rate-limit test trips it deterministically, high enough for bulk tests
    TOLLGATE_RATE_LIMIT: "50",
    TOLLGATE_RATE_LIMIT_BURST: "100",
    // every test client is 127.0.0.1: the per-IP bucket is roomy, and a test that needs its own
    // address names it in X-Forwarded-For (believed from loopback only because of this setting)
    TOLLGATE_IP_RATE_LIMIT: "30",
    TOLLGATE_IP_RATE_LIMIT_BURST: "100",
    TOLLGATE_TRUSTED_PROXIES: "loopback",
    RATES_PROVIDER: "coingecko",
    RATES_COINGECKO_URL: rates.url,
    RATES_COINBASE_URL: rates.url,
    RATES_TIMEOUT_MS: "2000",
    DATABASE_URL: "",
    TOLLGATE_MNEMONIC: "",
    AUTH_SECRET: "",
    AUTH_URL: "",
  };
  // the devnet inside a test stack is ephemeral: no state dir reuse between runs
  const logDir = path.join(dataDir, "logs");
  mkdirSync(logDir);
  const stack = await startStack({ env, log: opts.log, quietChildren: opts.quiet ?? true, logDir }).catch((e) => {
    rmSync(dataDir, { recursive: true, force: true });
    throw e;
  });
  const testEnv: Record<string, string> = {
    TOLLGATE_TEST_BASE_URL: stack.baseUrl,
    TOLLGATE_TEST_DATABASE_URL: stack.databaseUrl,
    TOLLGATE_TEST_ADMIN_URL: stack.adminUrl ?? "",
    TOLLGATE_TEST_RPC_ETHEREUM: stack.devnet?.chains.find((c) => c.network === "ethereum")?.rpcUrl ?? "",
    TOLLGATE_TEST_RPC_POLYGON: stack.devnet?.chains.find((c) => c.network === "polygon")?.rpcUrl ?? "",
    TOLLGATE_TEST_RPC_TRON: stack.tronDevnet?.rpcUrl ?? "",
    TOLLGATE_TEST_RPC_SOLANA: stack.solana?.url ?? "",
    TOLLGATE_TEST_CHILD_ENV: JSON.stringify(stack.childEnv),
    TOLLGATE_TEST_LOG_DIR: logDir,
    TOLLGATE_TEST_RATES_URL: rates.url,
  };
  return {
    stack,
    testEnv,
    stop: async () => {
      await stack.stop();
      await rates.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
