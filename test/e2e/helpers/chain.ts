// The devnet from a test's side: clients, balances, and payers — fresh accounts derived from the
// devnet mnemonic at high indexes, funded with ETH (anvil_setBalance) and minted tokens, so tests
// running in parallel never spend from the same account (no nonce clashes).
import {
  createPublicClient, createTestClient, createWalletClient, defineChain, erc20Abi, http, parseEther, parseEventLogs,
  type Address, type Chain, type Hex, type PublicClient, type TransactionReceipt,
} from "viem";
import { mnemonicToAccount, type HDAccount } from "viem/accounts";
import { DEVNET_MNEMONIC, mintDevnetToken } from "@/lib/devnet/evm";
import { CHAINS, USDC, USDT, type DevnetName, type TokenSymbol } from "./stack";

export const tokenAddress = (symbol: TokenSymbol): Address => (symbol === "USDC" ? USDC : USDT);

const chainObjects = new Map<DevnetName, Chain>();
export function chainOf(name: DevnetName): Chain {
  let c = chainObjects.get(name);
  if (!c) {
    const { chainId, rpcUrl } = CHAINS[name];
    c = defineChain({ id: chainId, name: `devnet ${name}`, nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 }, rpcUrls: { default: { http: [rpcUrl()] } } });
    chainObjects.set(name, c);
  }
  return c;
}

const publicClients = new Map<DevnetName, PublicClient>();
/** cacheTime 0: viem otherwise caches the block number for seconds. */
export function client(name: DevnetName): PublicClient {
  let c = publicClients.get(name);
  if (!c) {
    c = createPublicClient({ chain: chainOf(name), transport: http(CHAINS[name].rpcUrl()), pollingInterval: 100, cacheTime: 0 }) as PublicClient;
    publicClients.set(name, c);
  }
  return c;
}

export function balanceOf(name: DevnetName, symbol: TokenSymbol, owner: Address): Promise<bigint> {
  return client(name).readContract({ address: tokenAddress(symbol), abi: erc20Abi, functionName: "balanceOf", args: [owner] });
}

/** The Transfer events of a mined transaction. */
export function transfersIn(receipt: TransactionReceipt) {
  return parseEventLogs({ abi: erc20Abi, eventName: "Transfer", logs: receipt.logs })
    .map((l) => ({ token: l.address.toLowerCase(), from: l.args.from, to: l.args.to, value: l.args.value }));
}

// Far above anvil's 10 standard accounts and the few hand-picked ones other tests may use; one
// block of indexes per Playwright worker process (workerIndex is unique within a run).
const PAYER_BASE_INDEX = 1_000_000;
const PER_WORKER = 10_000;
let issued = 0;

export type Payer = {
  account: HDAccount;
  address: Address;
  /** ERC-20 transfer signed by this account; resolves with the mined receipt (status success asserted by the caller) */
  transfer(name: DevnetName, symbol: TokenSymbol, to: Address, units: bigint): Promise<TransactionReceipt>;
};

/**
 * A fresh payer for this test: derived from the devnet mnemonic at an index no other test in this
 * run uses, with 10 ETH for gas and `tokens` (base units) minted on each chain named.
 */
export async function newPayer(workerIndex: number, tokens: Partial<Record<DevnetName, Partial<Record<TokenSymbol, bigint>>>> = {}): Promise<Payer> {
  const addressIndex = PAYER_BASE_INDEX + workerIndex * PER_WORKER + issued++;
  const account = mnemonicToAccount(DEVNET_MNEMONIC, { addressIndex });
  const names = Object.keys(tokens) as DevnetName[];
  for (const name of names.length ? names : (["ethereum"] as DevnetName[])) {
    await createTestClient({ mode: "anvil", transport: http(CHAINS[name].rpcUrl()) }).setBalance({ address: account.address, value: parseEther("10") });
  }
  await Promise.all(names.flatMap((name) => Object.entries(tokens[name] ?? {}).map(([symbol, units]) =>
    units! > 0n ? mintDevnetToken(CHAINS[name].rpcUrl(), tokenAddress(symbol as TokenSymbol), account.address, units!) : undefined)));
  return {
    account,
    address: account.address,
    async transfer(name, symbol, to, units) {
      const wallet = createWalletClient({ account, chain: chainOf(name), transport: http(CHAINS[name].rpcUrl()) });
      const hash = await wallet.writeContract({ address: tokenAddress(symbol), abi: erc20Abi, functionName: "transfer", args: [to, units] });
      return client(name).waitForTransactionReceipt({ hash, pollingInterval: 100 });
    },
  };
}

/** 6-decimal base units of a decimal string ("25.5" → 25_500_000n). */
export function units6(decimal: string): bigint {
  const [whole, frac = ""] = decimal.split(".");
  return BigInt(whole + frac.padEnd(6, "0").slice(0, 6));
}

export type { Hex };
