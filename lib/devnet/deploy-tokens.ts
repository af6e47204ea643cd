// Deterministic deployment and funding of the mock USDC/USDT tokens.
import { randomBytes } from "node:crypto";
import {
  bytesToHex,
  createPublicClient,
  createTestClient,
  createWalletClient,
  defineChain,
  encodeFunctionData,
  getAddress,
  http,
  keccak256,
  toBytes,
  type Hex,
  type PublicClient,
} from "viem";
import { mnemonicToAccount, privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import {
  DEVNET_DEPLOYER_SEED,
  DEVNET_EXTRA_DEPLOYER_SEED,
  DEVNET_EXTRA_TOKEN_ADDRESSES,
  DEVNET_EXTRA_TOKENS,
  DEVNET_INITIAL_MINT_BASE_UNITS,
  DEVNET_MNEMONIC,
  DEVNET_STANDARD_ACCOUNT_COUNT,
  DEVNET_TOKENS,
  DEVNET_TOKEN_ADDRESSES,
} from "./evm-constants";
import { mockErc20Abi, mockErc20Bytecode, mockErc20MintAbi } from "./mock-erc20";

export const devnetDeployer = privateKeyToAccount(keccak256(toBytes(DEVNET_DEPLOYER_SEED)));

const DEPLOYER_FUND_WEI = 10n ** 21n; // 1000 ETH, far more than set-up spends
const MINT_SENDER_FUND_WEI = 10n ** 18n;
// Explicit gas limits: estimating a mint while the token's deployment is still
// pending would simulate against empty code and under-estimate.
const DEPLOY_GAS = 3_000_000n;
const MINT_GAS = 100_000n;
const RECEIPT_POLL_MS = 50;

let standardAccountsCache: `0x${string}`[] | undefined;

/** The first 10 addresses of DEVNET_MNEMONIC (m/44'/60'/0'/0/i), i.e. anvil's default accounts. */
export function standardAccounts(): `0x${string}`[] {
  // HD derivation costs a few ms per account; derive once per process.
  standardAccountsCache ??= Array.from(
    { length: DEVNET_STANDARD_ACCOUNT_COUNT },
    (_, addressIndex) => mnemonicToAccount(DEVNET_MNEMONIC, { addressIndex }).address,
  );
  return [...standardAccountsCache];
}

function devnetPublicClient(rpcUrl: string): PublicClient {
  return createPublicClient({ transport: http(rpcUrl), pollingInterval: RECEIPT_POLL_MS });
}

async function hasCode(client: PublicClient, address: `0x${string}`): Promise<boolean> {
  const code = await client.getCode({ address });
  return code !== undefined && code !== "0x";
}

export type EnsureTokensResult = { deployed: boolean; ms: number };

type DevnetToken = { symbol: string; name: string; decimals: number; deployerNonce: number; address: `0x${string}` };

/**
 * Deploys USDC (deployer nonce 0) and USDT (nonce 1) — with `stablecoinDecimals` (default 6) — and
 * mints the initial balances, unless persisted state already contains them; then the same for the
 * extra tokens of the second deployer (bridged USDC, LINK) when `extras` is set (EVM networks).
 */
export async function ensureDevnetTokens(rpcUrl: string, chainId: number, opts: { stablecoinDecimals?: number; extras?: boolean } = {}): Promise<EnsureTokensResult> {
  const started = Date.now();
  const decimals = opts.stablecoinDecimals ?? 6;
  // two deployers, two independent nonce sequences: both sets go out at once
  const [first, extra] = await Promise.all([
    ensureTokenSet(rpcUrl, chainId, devnetDeployer, DEVNET_TOKENS.map((t) => ({ ...t, decimals, address: DEVNET_TOKEN_ADDRESSES[t.symbol] }))),
    opts.extras
      ? ensureTokenSet(rpcUrl, chainId, extraDeployer,
        DEVNET_EXTRA_TOKENS.map((t) => ({ symbol: t.ticker, name: t.name, decimals: t.decimals, deployerNonce: t.deployerNonce, address: DEVNET_EXTRA_TOKEN_ADDRESSES[t.symbol] })))
      : false,
  ]);
  return { deployed: first || extra, ms: Date.now() - started };
}

const extraDeployer = privateKeyToAccount(keccak256(toBytes(DEVNET_EXTRA_DEPLOYER_SEED)));

/**
 * One deployer's tokens at its nonces 0, 1, …, each minted to the standard accounts (1,000,000
 * whole tokens). All transactions are signed with explicit nonces and sent back-to-back, then one
 * block is mined on demand so set-up does not wait for the interval miner. False when present.
 */
async function ensureTokenSet(rpcUrl: string, chainId: number, deployer: PrivateKeyAccount, tokens: DevnetToken[]): Promise<boolean> {
  const publicClient = devnetPublicClient(rpcUrl);
  const present = await Promise.all(tokens.map((t) => hasCode(publicClient, t.address)));
  if (present.every(Boolean)) return false;

  const nonce = await publicClient.getTransactionCount({ address: deployer.address });
  if (present.some(Boolean) || nonce !== 0) {
    // Only happens with hand-edited or half-written state; redeploying would land elsewhere.
    throw new Error(
      `devnet chain ${chainId} (${rpcUrl}) has inconsistent token state (deployer nonce ${nonce}, ` +
        `code present: ${present.join("/")}); delete the devnet state directory and restart`,
    );
  }

  const chain = defineChain({
    id: chainId,
    name: `devnet-${chainId}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  });
  const wallet = createWalletClient({ account: deployer, chain, transport: http(rpcUrl) });
  const anvil = createTestClient({ mode: "anvil", transport: http(rpcUrl) });
  await anvil.setBalance({ address: deployer.address, value: DEPLOYER_FUND_WEI });
  const block = await publicClient.getBlock();
  // Generous fixed fees avoid a fee-estimation round trip per transaction.
  const maxPriorityFeePerGas = 1_000_000_000n;
  const fees = { maxFeePerGas: (block.baseFeePerGas ?? 0n) * 2n + maxPriorityFeePerGas, maxPriorityFeePerGas };

  const hashes: Hex[] = [];
  let next = 0;
  for (const token of tokens) {
    if (token.deployerNonce !== next) throw new Error("devnet tokens must be ordered by deployer nonce");
    hashes.push(await wallet.deployContract({
      abi: mockErc20Abi, bytecode: mockErc20Bytecode, args: [token.name, token.symbol, token.decimals], nonce: next++, gas: DEPLOY_GAS, ...fees,
    }));
  }
  for (const token of tokens) {
    const amount = DEVNET_INITIAL_MINT_BASE_UNITS * 10n ** BigInt(token.decimals - 6);
    for (const holder of standardAccounts()) {
      hashes.push(await wallet.writeContract({
        address: token.address, abi: mockErc20MintAbi, functionName: "mint", args: [holder, amount], nonce: next++, gas: MINT_GAS, ...fees,
      }));
    }
  }
  await anvil.mine({ blocks: 1 });
  const receipts = await Promise.all(hashes.map((hash) => publicClient.waitForTransactionReceipt({ hash })));
  const failed = receipts.filter((r) => r.status !== "success");
  if (failed.length > 0) {
    throw new Error(`devnet token set-up reverted on chain ${chainId}: ${failed.map((r) => r.transactionHash).join(", ")}`);
  }
  for (const token of tokens) {
    if (!(await hasCode(publicClient, token.address))) throw new Error(`${token.symbol} did not land at ${token.address} on chain ${chainId}`);
  }
  return true;
}

/** Mints `amountBaseUnits` of a devnet token to `to`; resolves with the tx hash once mined. */
export async function mintDevnetToken(
  rpcUrl: string,
  token: `0x${string}`,
  to: `0x${string}`,
  amountBaseUnits: bigint,
): Promise<`0x${string}`> {
  const client = devnetPublicClient(rpcUrl);
  if (!(await hasCode(client, token))) throw new Error(`no token contract at ${token} on ${rpcUrl}`);
  const anvil = createTestClient({ mode: "anvil", transport: http(rpcUrl) });
  // A throwaway sender per mint: anvil assigns nonces server-side but not
  // atomically, so concurrent mints from one sender (parallel tests, several
  // processes) can clash with "replacement transaction underpriced".
  const sender = getAddress(bytesToHex(randomBytes(20)));
  await anvil.setBalance({ address: sender, value: MINT_SENDER_FUND_WEI });
  // eth_sendUnsignedTransaction needs no key; anvil fills nonce, gas and fees.
  const hash = await anvil.sendUnsignedTransaction({
    from: sender,
    to: token,
    data: encodeFunctionData({ abi: mockErc20MintAbi, functionName: "mint", args: [to, amountBaseUnits] }),
  });
  const receipt = await client.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") throw new Error(`mint of ${amountBaseUnits} to ${to} reverted (tx ${hash})`);
  return hash;
}
