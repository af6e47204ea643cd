// npm start (production build) / npm run dev (next dev): the whole product on one machine.
import { startStack } from "./lib/stack";
import { ensureDemoMerchant } from "./lib/demo";
import { DEVNET_EVM_CHAINS, DEVNET_EXTRA_TOKEN_ADDRESSES, standardAccounts } from "@/lib/devnet/evm";
import { nativeAssetCode } from "@/lib/config/networks";
import { hexToTron } from "@/lib/chains/tron/address";
import { devnetSolanaWallets } from "@/lib/devnet/solana";
import bs58 from "bs58";
import { closeDb } from "@/lib/db/client";

const dev = process.argv.includes("--dev");
const log = (m: string) => console.log(`[tollgate] ${m}`);

const stack = await startStack({ env: process.env, dev, log }).catch((e: Error) => {
  console.error(`[tollgate] could not start: ${e.message}`);
  process.exit(1);
});

let shuttingDown = false;
async function shutdown(code: number) {
  if (shuttingDown) return;
  shuttingDown = true;
  log("stopping…");
  await stack.stop();
  log("stopped");
  process.exit(code);
}
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));
for (const c of stack.children) {
  void c.exited.then((code) => {
    if (!shuttingDown) {
      log(`${c.name} exited unexpectedly (code ${code}); stopping everything`);
      void shutdown(1);
    }
  });
}

// The demo merchant lives in the database the children use; seed it from here.
process.env.DATABASE_URL = stack.databaseUrl;
const accounts = standardAccounts();
const settlement: { network: string; address: string }[] = stack.devnet ? stack.devnet.chains.map((c) => ({ network: c.network, address: accounts[1] })) : [];
if (stack.tronDevnet) settlement.push({ network: "tron", address: hexToTron(accounts[1]) });
const solanaWallets = devnetSolanaWallets();
// the demo merchant's Solana settlement wallet is devnet wallet 1; wallet 0 is the one to pay with
if (stack.solana) settlement.push({ network: "solana", address: solanaWallets[1].publicKey.toBase58() });
const demo = await ensureDemoMerchant(stack.cfg.dataDir, settlement);
await closeDb();

const lines = [
  "",
  "Tollgate is running in " + stack.cfg.mode.toUpperCase() + " mode",
  `  Dashboard:      ${stack.baseUrl}/dashboard`,
  `  Demo login:     ${demo.email} / ${demo.password}`,
  `  Test API key: ${demo.apiKey}`,
  `  API reference:  ${stack.baseUrl}/docs/api`,
  `  Sync status:    ${stack.baseUrl}/v1/system/sync`,
];
if (stack.devnet) {
  lines.push("  Devnet (anvil, 1 s blocks; test accounts from the 'test test … junk' mnemonic hold 10,000 of the native coin and 1,000,000 of each token):");
  for (const c of stack.devnet.chains) {
    const native = nativeAssetCode(c.network) ?? "ETH";
    const decimals = DEVNET_EVM_CHAINS.find((d) => d.network === c.network)?.stablecoinDecimals ?? 6;
    lines.push(`    ${c.network.padEnd(9)} chain ${c.chainId}  ${c.rpcUrl}  native ${native}  USDC ${c.tokens.USDC}  USDT ${c.tokens.USDT} (${decimals} decimals)`);
  }
  lines.push(`    on every chain: USDC.e ${DEVNET_EXTRA_TOKEN_ADDRESSES.USDC_E} (Polygon's wpUSDC)  LINK ${DEVNET_EXTRA_TOKEN_ADDRESSES.LINK} (18 decimals)`);
}
if (stack.tronDevnet) {
  const t = stack.tronDevnet;
  lines.push(
    "  Tron devnet (an anvil instance serving Tron's Ethereum-style JSON-RPC — not a Tron node; see README):",
    `    tron      ${t.rpcUrl}  USDT (TRC-20) ${t.tokens.USDT}  USDC (TRC-20) ${t.tokens.USDC}`,
    `    the same test accounts in Tron form, e.g. ${hexToTron(accounts[0])} and ${hexToTron(accounts[2])}, hold 1,000,000 USDT and USDC`,
  );
}
if (stack.solana) {
  lines.push(`  Solana devnet (LiteSVM, ${stack.solana.url}; slots every 400 ms, finalized 4 slots later):`);
  lines.push(`    USDC mint ${stack.solana.mints.USDC}  USDT mint ${stack.solana.mints.USDT}`);
  lines.push("    Test wallets (1,000 SOL, 1,000,000 USDC and USDT each; public key, then the devnet-only secret key in base58 for wallet import):");
  for (const w of solanaWallets) lines.push(`      ${w.publicKey.toBase58()}  ${bs58.encode(w.secretKey)}`);
}
if (stack.ton) {
  lines.push(`  TON devnet (@ton/sandbox behind a toncenter v2 API; TonClient endpoint ${stack.ton.endpoint}; a block every second):`);
  lines.push(`    USDT jetton master ${stack.ton.jettonMaster} (6 decimals)  DNS: ${stack.ton.dnsName} → ${stack.ton.wallets[1].address} (resolver ${stack.ton.dnsRoot})`);
  lines.push("    Test wallets (wallet v4r2; 1,000,000 TON and USDT each; address, then the devnet-only 24-word mnemonic for import):");
  for (const w of stack.ton.wallets) lines.push(`      ${w.address}  ${w.mnemonic}`);
  if (stack.tonHotWallet) lines.push(`    Tollgate's TON hot wallet (a highload wallet v3 of m/44'/607'/0'; payouts and gas leave from it, sweeps go to it): ${stack.tonHotWallet}`);
}
lines.push("Press Ctrl-C to stop.", "");
console.log(lines.join("\n"));
