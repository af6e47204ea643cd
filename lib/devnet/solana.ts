// Local Solana devnet for `npm start` and the tests: the JSON-RPC server of ./solana-rpc with the
// mock USDC and USDT mints at fixed addresses (./solana-mints) and funded test wallets.
import { ACCOUNT_SIZE, AccountLayout, MINT_SIZE, MintLayout, TOKEN_PROGRAM_ID, getAssociatedTokenAddressSync } from "@solana/spl-token";
import { PublicKey } from "@solana/web3.js";
import { litesvm } from "./litesvm";
import {
  DEVNET_SOLANA_INITIAL_LAMPORTS, DEVNET_SOLANA_INITIAL_TOKENS, DEVNET_SOLANA_MINTS, DEVNET_SOLANA_TOKEN_DECIMALS,
  devnetMintAuthority, devnetSolanaWallets,
} from "./solana-constants";
import { startSolanaRpc, type SolanaDevnetRpc } from "./solana-rpc";

export { DEVNET_SOLANA_DEFAULT_PORT, DEVNET_SOLANA_MINTS, devnetMintAuthority, devnetSolanaWallets } from "./solana-constants";

export type SolanaDevnet = SolanaDevnetRpc & { mints: typeof DEVNET_SOLANA_MINTS; wallets: string[] };

export type StartSolanaDevnetOptions = {
  port: number;
  slotMs?: number;
  finalizeAfterSlots?: number;
  stateFile?: string;
  log?: (m: string) => void;
};

export async function startSolanaDevnet(opts: StartSolanaDevnetOptions): Promise<SolanaDevnet> {
  const rpc = await startSolanaRpc(opts);
  const { Account } = litesvm();
  const svm = rpc.svm;
  const authority = devnetMintAuthority().publicKey;
  const wallets = devnetSolanaWallets();
  let created = false;
  // The mints and the wallets' first balances are written as accounts (a genesis, not transactions).
  for (const mintAddress of Object.values(DEVNET_SOLANA_MINTS)) {
    const mint = new PublicKey(mintAddress);
    if (svm.getAccount(mint.toBytes())) continue;
    created = true;
    const supply = DEVNET_SOLANA_INITIAL_TOKENS * BigInt(wallets.length);
    const data = Buffer.alloc(MINT_SIZE);
    MintLayout.encode({
      mintAuthorityOption: 1, mintAuthority: authority, supply, decimals: DEVNET_SOLANA_TOKEN_DECIMALS, isInitialized: true,
      freezeAuthorityOption: 0, freezeAuthority: PublicKey.default,
    }, data);
    svm.setAccount(mint.toBytes(), new Account(svm.minimumBalanceForRentExemption(BigInt(MINT_SIZE)), data, TOKEN_PROGRAM_ID.toBytes(), false, 0n));
    for (const w of wallets) {
      const ata = getAssociatedTokenAddressSync(mint, w.publicKey);
      const acc = Buffer.alloc(ACCOUNT_SIZE);
      AccountLayout.encode({
        mint, owner: w.publicKey, amount: DEVNET_SOLANA_INITIAL_TOKENS, delegateOption: 0, delegate: PublicKey.default, state: 1,
        isNativeOption: 0, isNative: 0n, delegatedAmount: 0n, closeAuthorityOption: 0, closeAuthority: PublicKey.default,
      }, acc);
      svm.setAccount(ata.toBytes(), new Account(svm.minimumBalanceForRentExemption(BigInt(ACCOUNT_SIZE)), acc, TOKEN_PROGRAM_ID.toBytes(), false, 0n));
    }
  }
  for (const k of [authority, ...wallets.map((w) => w.publicKey)]) {
    if ((svm.getBalance(k.toBytes()) ?? 0n) === 0n) svm.airdrop(k.toBytes(), DEVNET_SOLANA_INITIAL_LAMPORTS);
  }
  opts.log?.(`solana (LiteSVM) on ${rpc.url}: ${created ? "created" : "found"} USDC ${DEVNET_SOLANA_MINTS.USDC} and USDT ${DEVNET_SOLANA_MINTS.USDT}`);
  return { ...rpc, mints: DEVNET_SOLANA_MINTS, wallets: wallets.map((w) => w.publicKey.toBase58()) };
}

/** 100 SOL for the instance's Solana hot wallet (it pays every sweep's and payout's fees), unless it already holds some. */
export const DEVNET_SOLANA_HOT_WALLET_LAMPORTS = 100n * 1_000_000_000n;

export function fundSolanaHotWallet(devnet: SolanaDevnet, address: string): void {
  const key = new PublicKey(address).toBytes();
  if ((devnet.svm.getBalance(key) ?? 0n) === 0n) devnet.svm.airdrop(key, DEVNET_SOLANA_HOT_WALLET_LAMPORTS);
}
