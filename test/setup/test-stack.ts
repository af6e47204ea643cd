// A throwaway stack for a test run: fresh embedded PostgreSQL in a temp dir, ephemeral devnet
// on free ports, the production build served on a free port, and the worker.
import { randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import pg from "pg";
import { hashPassword } from "@/lib/auth/password";
import os from "node:os";
import path from "node:path";
import { DEVNET_EVM_CHAINS } from "@/lib/devnet/evm";
import { freePorts } from "@/lib/devnet/free-port";
import { startStack, type Stack } from "@/scripts/lib/stack";
import { startRateStandIn } from "./rate-stand-in";

export type TestStack = { stack: Stack; testEnv: Record<string, string>; stop: () => Promise<void> };

export async function startTestStack(opts: { log: (m: string) => void; quiet?: boolean; beforeWeb?: () => Promise<void> }): Promise<TestStack> {
  // the price APIs (lib/rates) are a local stand-in: web and worker quote through the real CoinGecko client
  const rates = await startRateStandIn();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "tollgate-test-"));
  chmodSync(dataDir, 0o755); // PostgreSQL runs as the postgres user when we are root: it must reach its data dir
  // every port at once: freePort() called again may hand back a port it just released (two devnets on one port)
  const portNames = ["PORT", "TOLLGATE_PG_PORT", ...DEVNET_EVM_CHAINS.map((c) => `DEVNET_${c.network.toUpperCase()}_PORT`), "DEVNET_TRON_PORT",
    "DEVNET_SOLANA_PORT", "DEVNET_TON_PORT", "DEVNET_BITCOIN_PORT", "DEVNET_BITCOIN_WALLET_PORT", "DEVNET_LITECOIN_PORT"];
  const ports = Object.fromEntries((await freePorts(portNames.length)).map((p, i) => [portNames[i], String(p)]));
  const env: Record<string, string | undefined> = {
    ...process.env,
    TOLLGATE_MODE: "test",
    TOLLGATE_DATA_DIR: dataDir,
    TOLLGATE_DEVNET: "1",
    ...ports,
    DEVNET_TON_BLOCK_MS: "500",
    // the UTXO tests mine what they need between the timer's blocks (test/integration/bitcoin.test.ts), and
    // see a deposit in a block before it is confirmed
    DEVNET_BITCOIN_BLOCK_MS: "5000",
    DEVNET_LITECOIN_BLOCK_MS: "5000",
    BITCOIN_TEST_CONFIRMATIONS: "2",
    // a funded regtest chain and wallet per node, prepared by the first test stack on this machine
    DEVNET_UTXO_TEMPLATE_DIR: path.join(os.tmpdir(), "tollgate-utxo-template-v2"),
    LITECOIN_TEST_CONFIRMATIONS: "2",
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
  const stack = await startStack({ env, log: opts.log, quietChildren: opts.quiet ?? true, logDir, beforeWeb: opts.beforeWeb }).catch((e) => {
    rmSync(dataDir, { recursive: true, force: true });
    throw e;
  });
  // the instance's operator is its first account (lib/merchants/create-merchant): made here, before any test's merchant
  const operator = { email: "operator@test.local", password: randomBytes(12).toString("base64url") };
  await createOperator(stack.databaseUrl, operator);
  const testEnv: Record<string, string> = {
    TOLLGATE_TEST_OPERATOR: JSON.stringify(operator),
    TOLLGATE_TEST_BASE_URL: stack.baseUrl,
    TOLLGATE_TEST_DATABASE_URL: stack.databaseUrl,
    TOLLGATE_TEST_ADMIN_URL: stack.adminUrl ?? "",
    ...Object.fromEntries(DEVNET_EVM_CHAINS.map((d) => [`TOLLGATE_TEST_RPC_${d.network.toUpperCase()}`, stack.devnet?.chains.find((c) => c.network === d.network)?.rpcUrl ?? ""])),
    TOLLGATE_TEST_RPC_TRON: stack.tronDevnet?.rpcUrl ?? "",
    TOLLGATE_TEST_RPC_SOLANA: stack.solana?.url ?? "",
    TOLLGATE_TEST_RPC_TON: stack.ton?.endpoint ?? "",
    TOLLGATE_TEST_RPC_BITCOIN: stack.bitcoin?.rpcUrl ?? "",
    TOLLGATE_TEST_WALLET_BITCOIN: stack.bitcoin?.walletRpcUrl ?? "",
    TOLLGATE_TEST_RPC_LITECOIN: stack.litecoin?.rpcUrl ?? "",
    TOLLGATE_TEST_WALLET_LITECOIN: stack.litecoin?.walletRpcUrl ?? "",
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

async function createOperator(databaseUrl: string, who: { email: string; password: string }): Promise<void> {
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    const { rows } = await c.query("insert into merchants (name, is_operator) values ('Instance operator', true) returning id");
    await c.query("insert into users (merchant_id, email, password_hash) values ($1, $2, $3)", [rows[0].id, who.email, await hashPassword(who.password)]);
  } finally {
    await c.end();
  }
}
