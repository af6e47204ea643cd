// An injected EIP-1193 test wallet for the checkout page: `window.ethereum` in the page forwards
// every request to a Playwright binding, which answers as a wallet would — accounts, chain id and
// switching, and eth_sendTransaction signed here with a local viem account (a real signature,
// broadcast to the devnet as a raw transaction). Read-only calls go to the devnet's RPC.
import type { Page } from "@playwright/test";
import { createWalletClient, http, numberToHex, type Address, type Hex, type LocalAccount } from "viem";
import { chainById } from "./stack";
import { chainOf } from "./chain";

export type TestWalletOptions = {
  /** the chain the wallet is on when the page first asks (default 1: mainnet, so the page must switch) */
  startChainId?: number;
  /** how many eth_requestAccounts prompts the "user" rejects (4001) before approving */
  rejectConnects?: number;
  /** false: wallet_switchEthereumChain fails with 4902 (a wallet that doesn't know the devnet) */
  canSwitch?: boolean;
};

export type TestWallet = {
  /** every request the page made, in order */
  calls: { method: string; params: unknown[] }[];
  /** hashes of the transactions this wallet signed and broadcast */
  sent: Hex[];
  chainId(): number;
};

class ProviderRpcError extends Error {
  constructor(readonly code: number, message: string) { super(message); }
}

const BINDING = "__tollgateTestWallet";

export async function installTestWallet(page: Page, account: LocalAccount, opts: TestWalletOptions = {}): Promise<TestWallet> {
  let chainId = opts.startChainId ?? 1;
  let rejections = opts.rejectConnects ?? 0;
  let connected = false;
  const calls: TestWallet["calls"] = [];
  const sent: Hex[] = [];

  async function rpc(method: string, params: unknown[]): Promise<unknown> {
    const chain = chainById(chainId);
    if (!chain) throw new ProviderRpcError(4901, `The wallet is on chain ${chainId}, which it cannot reach.`);
    const res = await fetch(chain.rpcUrl(), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) });
    const body = (await res.json()) as { result?: unknown; error?: { code: number; message: string } };
    if (body.error) throw new ProviderRpcError(body.error.code, body.error.message);
    return body.result;
  }

  async function sendTransaction(tx: { from?: string; to?: Address; data?: Hex; value?: Hex; gas?: Hex }): Promise<Hex> {
    if (!connected) throw new ProviderRpcError(4100, "The requested account has not been authorized by the user.");
    if (tx.from && tx.from.toLowerCase() !== account.address.toLowerCase()) throw new ProviderRpcError(4100, `Unknown account ${tx.from}.`);
    const chain = chainById(chainId);
    if (!chain) throw new ProviderRpcError(4901, `The wallet is on chain ${chainId}, which it cannot reach.`);
    const name = chain.chainId === 31337 ? "ethereum" : "polygon";
    const wallet = createWalletClient({ account, chain: chainOf(name), transport: http(chain.rpcUrl()) });
    // viem fills nonce and fees from the node, signs locally and sends eth_sendRawTransaction
    const hash = await wallet.sendTransaction({
      to: tx.to, data: tx.data, value: tx.value ? BigInt(tx.value) : undefined, gas: tx.gas ? BigInt(tx.gas) : undefined,
    });
    sent.push(hash);
    return hash;
  }

  async function handle(method: string, params: unknown[]): Promise<unknown> {
    switch (method) {
      case "eth_requestAccounts":
        if (rejections > 0) {
          rejections--;
          throw new ProviderRpcError(4001, "User rejected the request.");
        }
        connected = true;
        return [account.address];
      case "eth_accounts":
        return connected ? [account.address] : [];
      case "eth_chainId":
        return numberToHex(chainId);
      case "net_version":
        return String(chainId);
      case "wallet_switchEthereumChain": {
        const wanted = Number(BigInt((params[0] as { chainId: string }).chainId));
        if (opts.canSwitch === false || !chainById(wanted)) throw new ProviderRpcError(4902, `Unrecognized chain ID "${numberToHex(wanted)}".`);
        chainId = wanted;
        return null;
      }
      case "eth_sendTransaction":
        return sendTransaction(params[0] as Parameters<typeof sendTransaction>[0]);
      case "eth_sign": case "personal_sign": case "eth_signTypedData_v4": case "eth_sendRawTransaction": case "wallet_addEthereumChain":
        throw new ProviderRpcError(4200, `The test wallet does not support ${method}.`);
      default:
        return rpc(method, params);
    }
  }

  await page.exposeFunction(BINDING, async (method: string, params: unknown[]) => {
    calls.push({ method, params });
    try {
      return { result: (await handle(method, params)) ?? null };
    } catch (e) {
      const code = e instanceof ProviderRpcError ? e.code : -32603;
      return { error: { code, message: e instanceof Error ? e.message : String(e) } };
    }
  });
  // Bindings only carry plain values: the page-side shim turns { error } back into a thrown
  // EIP-1193 error with its numeric code.
  await page.addInitScript({ content: `
    (() => {
      const call = (method, params) => window.${BINDING}(method, params ?? []).then((r) => {
        if (r.error) throw Object.assign(new Error(r.error.message), { code: r.error.code });
        return r.result;
      });
      window.ethereum = {
        isTollgateTestWallet: true,
        request: ({ method, params }) => call(method, Array.isArray(params) ? params : params === undefined ? [] : [params]),
        on() {}, removeListener() {},
      };
    })();` });
  return { calls, sent, chainId: () => chainId };
}
