// viem public clients per configured EVM chain, with fallback across the configured RPC URLs.
import { createPublicClient, fallback, http, type PublicClient } from "viem";
import type { ChainConfig } from "@/lib/config";

const clients = new Map<string, PublicClient>();

export function evmClient(chain: ChainConfig): PublicClient {
  let c = clients.get(chain.key);
  if (!c) {
    const transports = chain.rpcUrls.map((u) => http(u, { timeout: 10_000, retryCount: 2, batch: false }));
    c = createPublicClient({
      transport: transports.length === 1 ? transports[0] : fallback(transports, { rank: false }),
      pollingInterval: 1000,
    }) as PublicClient;
    clients.set(chain.key, c);
  }
  return c;
}
