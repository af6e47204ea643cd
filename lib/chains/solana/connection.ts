// One @solana/web3.js Connection per Solana chain (its first RPC URL). Confirmation is never
// awaited through it (that needs a websocket): the watcher polls signatures instead. Every call
// gives up after RPC_TIMEOUT_MS: choosing a payment method calls the node while it holds the
// session's row lock.
import { Connection } from "@solana/web3.js";
import type { ChainConfig } from "@/lib/config";

const connections = new Map<string, Connection>();
const RPC_TIMEOUT_MS = 10_000;

export function solanaConnection(chain: ChainConfig): Connection {
  const url = chain.rpcUrls[0];
  if (!url) throw new Error(`no RPC URL configured for ${chain.key}`);
  let c = connections.get(url);
  if (!c) {
    c = new Connection(url, {
      commitment: "confirmed", disableRetryOnRateLimit: true,
      fetch: (input, init) => fetch(input, { ...init, signal: AbortSignal.timeout(RPC_TIMEOUT_MS) }),
    });
    connections.set(url, c);
  }
  return c;
}
