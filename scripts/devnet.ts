// Runs the local EVM devnet in the foreground: `npx tsx scripts/devnet.ts`.
// State persists in ./.data/devnet (delete that directory to start from scratch).
import { resolve } from "node:path";
import { startEvmDevnet } from "../lib/devnet/evm";

const stateDir = resolve(".data/devnet");
const devnet = await startEvmDevnet({ stateDir, log: (msg) => console.log(`[devnet] ${msg}`) });

for (const chain of devnet.chains) {
  console.log(`\n${chain.network} (chain id ${chain.chainId})`);
  console.log(`  RPC   ${chain.rpcUrl}`);
  console.log(`  USDC  ${chain.tokens.USDC}`);
  console.log(`  USDT  ${chain.tokens.USDT}`);
}
console.log("\nPress Ctrl-C to stop (state is saved on exit).");

let stopping = false;
async function shutdown(signal: NodeJS.Signals): Promise<void> {
  // A second Ctrl-C while anvil is still writing its state must not abort the save.
  if (stopping) return;
  stopping = true;
  console.log(`\n[devnet] ${signal}: stopping…`);
  try {
    await devnet.stop();
    process.exit(0);
  } catch (err) {
    console.error("[devnet] failed to stop cleanly:", err);
    process.exit(1);
  }
}
process.on("SIGINT", (s) => void shutdown(s));
process.on("SIGTERM", (s) => void shutdown(s));
