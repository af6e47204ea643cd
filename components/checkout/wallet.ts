// An injected EIP-1193 wallet (window.ethereum): accounts, chain switching and the token
// transfer. viem is loaded only when the payer actually pays.
import { isNativeToken } from "@/lib/checkout/native-token";

export type Eip1193Provider = { request(args: { method: string; params?: unknown }): Promise<unknown> };

export function injectedProvider(): Eip1193Provider | null {
  if (typeof window === "undefined") return null;
  const eth = (window as unknown as { ethereum?: Eip1193Provider }).ethereum;
  return eth && typeof eth.request === "function" ? eth : null;
}

type ErrorLike = { code?: unknown; name?: unknown; cause?: unknown; shortMessage?: unknown; message?: unknown; details?: unknown };

function chain(e: unknown): ErrorLike[] {
  const out: ErrorLike[] = [];
  let cur = e as ErrorLike | undefined;
  for (let i = 0; cur && typeof cur === "object" && i < 8; i++) {
    out.push(cur);
    cur = cur.cause as ErrorLike | undefined;
  }
  return out;
}

/** EIP-1193 4001 (user rejected), however deep a library wrapped it. */
export function isUserRejection(e: unknown): boolean {
  return chain(e).some((x) => x.code === 4001 || x.name === "UserRejectedRequestError" || x.code === "ACTION_REJECTED");
}

/** The most useful one-line message a wallet error carries. */
export function walletMessage(e: unknown): string {
  const first = chain(e)[0];
  const msg = first?.shortMessage ?? first?.details ?? first?.message;
  return typeof msg === "string" && msg ? msg.split("\n")[0] : String(e);
}

export class WrongChainError extends Error {
  constructor() { super("wrong chain"); this.name = "WrongChainError"; }
}

export async function requestAccount(p: Eip1193Provider): Promise<`0x${string}` | null> {
  const accounts = (await p.request({ method: "eth_requestAccounts" })) as string[] | undefined;
  const a = accounts?.[0];
  return a && /^0x[0-9a-fA-F]{40}$/.test(a) ? (a as `0x${string}`) : null;
}

/** Makes sure the wallet is on `chainId`, asking it to switch; WrongChainError when it can't. */
export async function ensureChain(p: Eip1193Provider, chainId: number): Promise<void> {
  const current = async () => Number(BigInt((await p.request({ method: "eth_chainId" })) as string));
  if ((await current()) === chainId) return;
  try {
    await p.request({ method: "wallet_switchEthereumChain", params: [{ chainId: `0x${chainId.toString(16)}` }] });
  } catch (e) {
    if (isUserRejection(e)) throw e;
    throw new WrongChainError(); // 4902 (unknown chain) or a wallet that cannot switch
  }
  if ((await current()) !== chainId) throw new WrongChainError();
}

/** ERC-20 transfer(receiver, units) from `account`; resolves with the transaction hash. */
export async function sendTokenTransfer(
  p: Eip1193Provider,
  args: { account: `0x${string}`; token: `0x${string}`; to: `0x${string}`; units: bigint },
): Promise<`0x${string}`> {
  const { createWalletClient, custom, erc20Abi } = await import("viem");
  const wallet = createWalletClient({ account: args.account, transport: custom(p) });
  // chain: null — ensureChain has already checked the wallet's chain (devnets have no viem chain object)
  if (isNativeToken(args.token)) return wallet.sendTransaction({ to: args.to, value: args.units, chain: null });
  return wallet.writeContract({ address: args.token, abi: erc20Abi, functionName: "transfer", args: [args.to, args.units], chain: null });
}
