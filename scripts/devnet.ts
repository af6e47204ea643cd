// Runs the local EVM devnet, the Tron devnet (anvil-backed JSON-RPC), the Solana devnet (LiteSVM)
// and the TON devnet (@ton/sandbox behind a toncenter v2 API) in the foreground: `npx tsx scripts/devnet.ts`.
// State persists in ./.data/devnet (delete that directory to start from scratch).
import { resolve } from "node:path";
import { startEvmDevnet } from "../lib/devnet/evm";
import { DEVNET_SOLANA_DEFAULT_PORT, startSolanaDevnet } from "../lib/devnet/solana";
import { startTronDevnet } from "../lib/devnet/tron";
import { DEVNET_TON_DEFAULT_PORT, startTonDevnet } from "../lib/devnet/ton";
import { startBitcoinDevnet } from "../lib/devnet/bitcoin";
import { LITECOIND_MISSING, litecoindBinary, startLitecoinDevnet } from "../lib/devnet/litecoin";

const stateDir = resolve(".data/devnet");
const log = (msg: string) => console.log(`[devnet] ${msg}`);
const evm = await startEvmDevnet({ stateDir, log });
const tron = await startTronDevnet({ stateDir, log }).catch(async (e: unknown) => {
  await evm.stop();
  throw e;
});
const devnet = { chains: evm.chains, stop: () => Promise.all([evm.stop(), tron.stop()]) };
const solana = await startSolanaDevnet({
  port: Number(process.env.DEVNET_SOLANA_PORT ?? DEVNET_SOLANA_DEFAULT_PORT), stateFile: resolve(stateDir, "solana.json"), log,
});
const ton = await startTonDevnet({
  port: Number(process.env.DEVNET_TON_PORT ?? DEVNET_TON_DEFAULT_PORT), stateFile: resolve(stateDir, "ton.json"), log,
});
const bitcoin = await startBitcoinDevnet({ stateDir, port: process.env.DEVNET_BITCOIN_PORT ? Number(process.env.DEVNET_BITCOIN_PORT) : undefined, log });
const litecoin = litecoindBinary()
  ? await startLitecoinDevnet({ stateDir, port: process.env.DEVNET_LITECOIN_PORT ? Number(process.env.DEVNET_LITECOIN_PORT) : undefined, log })
  : (log(LITECOIND_MISSING), undefined);
console.log(`\nsolana (LiteSVM)\n  RPC   ${solana.url}\n  USDC  ${solana.mints.USDC}\n  USDT  ${solana.mints.USDT}\n  wallets ${solana.wallets.join(", ")}`);

for (const chain of devnet.chains) {
  console.log(`\n${chain.network} (chain id ${chain.chainId})`);
  console.log(`  RPC   ${chain.rpcUrl}`);
  console.log(`  USDC  ${chain.tokens.USDC}`);
  console.log(`  USDT  ${chain.tokens.USDT}`);
}
console.log(`\ntron (anvil-backed JSON-RPC, chain id ${tron.chainId}; addresses in Tron's base58 form)`);
console.log(`  RPC   ${tron.rpcUrl}`);
console.log(`  USDC  ${tron.tokens.USDC}`);
console.log(`  USDT  ${tron.tokens.USDT}`);
console.log(`\nton (@ton/sandbox behind a toncenter v2 API; TonClient endpoint below)`);
console.log(`  API      ${ton.endpoint}`);
console.log(`  USDT     ${ton.jettonMaster} (jetton master, 6 decimals)`);
console.log(`  DNS      ${ton.dnsName} (resolver ${ton.dnsRoot})`);
for (const w of ton.wallets) console.log(`  wallet   ${w.address} (v4r2) mnemonic: ${w.mnemonic}`);
for (const u of [bitcoin, litecoin]) {
  if (!u) continue;
  console.log(`\n${u.network} (regtest, a block a second)\n  node RPC    ${u.rpcUrl}\n  wallet RPC  ${u.walletRpcUrl}  (sendtoaddress, getbalance)`);
}
console.log("\nPress Ctrl-C to stop (state is saved on exit).");

let stopping = false;
async function shutdown(signal: NodeJS.Signals): Promise<void> {
  // A second Ctrl-C while anvil is still writing its state must not abort the save.
  if (stopping) return;
  stopping = true;
  console.log(`\n[devnet] ${signal}: stopping…`);
  try {
    await Promise.all([devnet.stop(), solana.stop(), ton.stop(), bitcoin.stop(), litecoin?.stop()]);
    process.exit(0);
  } catch (err) {
    console.error("[devnet] failed to stop cleanly:", err);
    process.exit(1);
  }
}
process.on("SIGINT", (s) => void shutdown(s));
process.on("SIGTERM", (s) => void shutdown(s));
