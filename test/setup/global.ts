// Integration tests run against a real stack: started by scripts/test.ts (npm test) and passed
// in through the environment, or started here when vitest runs on its own.
import type { TestProject } from "vitest/node";
import type { TestStack } from "./test-stack";

let own: TestStack | undefined;

export default async function setup(project: TestProject) {
  let env: Record<string, string | undefined> = process.env;
  if (!env.TOLLGATE_TEST_BASE_URL) {
    const { startTestStack } = await import("./test-stack");
    own = await startTestStack({ log: () => {} });
    env = own.testEnv;
  }
  project.provide("testEnv", {
    baseUrl: env.TOLLGATE_TEST_BASE_URL!,
    databaseUrl: env.TOLLGATE_TEST_DATABASE_URL!,
    adminUrl: env.TOLLGATE_TEST_ADMIN_URL ?? "",
    rpcEthereum: env.TOLLGATE_TEST_RPC_ETHEREUM ?? "",
    rpcPolygon: env.TOLLGATE_TEST_RPC_POLYGON ?? "",
    rpcTron: env.TOLLGATE_TEST_RPC_TRON ?? "",
    rpcSolana: env.TOLLGATE_TEST_RPC_SOLANA ?? "",
    rpcTon: env.TOLLGATE_TEST_RPC_TON ?? "",
    rpcBitcoin: env.TOLLGATE_TEST_RPC_BITCOIN ?? "",
    walletBitcoin: env.TOLLGATE_TEST_WALLET_BITCOIN ?? "",
    rpcLitecoin: env.TOLLGATE_TEST_RPC_LITECOIN ?? "",
    walletLitecoin: env.TOLLGATE_TEST_WALLET_LITECOIN ?? "",
    childEnvJson: env.TOLLGATE_TEST_CHILD_ENV ?? "{}",
    logDir: env.TOLLGATE_TEST_LOG_DIR ?? "",
    ratesUrl: env.TOLLGATE_TEST_RATES_URL ?? "",
    operatorJson: env.TOLLGATE_TEST_OPERATOR ?? "{}",
  });
  return async () => { await own?.stop(); };
}

declare module "vitest" {
  export interface ProvidedContext {
    testEnv: { baseUrl: string; databaseUrl: string; adminUrl: string; rpcEthereum: string; rpcPolygon: string; rpcTron: string; rpcSolana: string; rpcTon: string; rpcBitcoin: string; walletBitcoin: string; rpcLitecoin: string; walletLitecoin: string; childEnvJson: string; logDir: string; ratesUrl: string; operatorJson: string };
  }
}
