// The toncenter v2 API of a TON network (its JSON-RPC endpoint is the chain's RPC URL, e.g.
// https://toncenter.com/api/v2/jsonRPC or the devnet's /jsonRPC): @ton/ton's TonClient for
// accounts and get-methods, and `call` for what TonClient does not cover (blocks with their
// transactions in full).
import { Address, beginCell } from "@ton/core";
import { TonClient } from "@ton/ton";
import type { ChainConfig } from "@/lib/config";

export type TonApi = {
  client: TonClient;
  call<T>(method: string, params: Record<string, unknown>): Promise<T>;
};

const apis = new Map<string, TonApi>();

export function tonApi(chain: ChainConfig): TonApi {
  const endpoint = chain.rpcUrls[0];
  if (!endpoint) throw new Error(`${chain.key}: no RPC URL`);
  const apiKey = chain.tonApiKey;
  let api = apis.get(endpoint);
  if (!api) {
    const client = new TonClient({ endpoint, timeout: 15_000, apiKey });
    api = {
      client,
      async call<T>(method: string, params: Record<string, unknown>): Promise<T> {
        const res = await fetch(endpoint, {
          method: "POST",
          headers: { "content-type": "application/json", ...(apiKey ? { "x-api-key": apiKey } : {}) },
          body: JSON.stringify({ id: 1, jsonrpc: "2.0", method, params }),
          signal: AbortSignal.timeout(15_000),
        });
        const body = await res.json().catch(() => null) as { ok?: boolean; result?: T; error?: string } | null;
        if (!body?.ok) throw new Error(`toncenter ${method}: ${body?.error ?? `HTTP ${res.status}`}`);
        return body.result as T;
      },
    };
    apis.set(endpoint, api);
  }
  return api;
}

const walletCache = new Map<string, Address>();

/** The jetton wallet of `owner` under `master`, as the master's get_wallet_address computes it (cached: it never changes). */
export async function jettonWalletOf(chain: ChainConfig, master: Address, owner: Address): Promise<Address> {
  const k = `${chain.key}|${master.toRawString()}|${owner.toRawString()}`;
  const hit = walletCache.get(k);
  if (hit) return hit;
  const r = await tonApi(chain).client.runMethod(master, "get_wallet_address", [{ type: "slice", cell: beginCell().storeAddress(owner).endCell() }]);
  const w = r.stack.readAddress();
  if (walletCache.size > 100_000) walletCache.clear();
  walletCache.set(k, w);
  return w;
}
