// Solana watcher fixtures shared by the watcher-cost test and bench/solana-watcher.ts: open
// Solana sessions inserted directly (checkout + payment request, as choosing Solana makes them),
// and a Connection that counts the JSON-RPC calls it makes.
import { Connection } from "@solana/web3.js";
import { sql } from "drizzle-orm";
import { checkouts } from "@/db/schema";
import { createSolanaRequest, type SolanaRequestRow } from "@/lib/chains/solana/reference";
import { db } from "@/lib/db/client";

const USDC_EVM = "0x6D1A70703E4C7Cf35E2BE3B9DdED28401a915553";
const DESTINATION = "0xd8dA6BF26964aF9D7eEd9e03E53415D37aA96045";

/** `count` sessions waiting for a Solana payment of `amount` of `mint` to `recipient`, one reference each. */
export async function seedSolanaSessions(merchantId: string, count: number, opts: {
  livemode: boolean; recipient: string; mint: string; assetCode?: string; amount?: bigint; expiresInSeconds?: number;
}): Promise<SolanaRequestRow[]> {
  const out: SolanaRequestRow[] = [];
  for (let i = 0; i < count; i += 100) {
    const n = Math.min(100, count - i);
    out.push(...await db().transaction(async (tx) => {
      const rows = await tx.insert(checkouts).values(Array.from({ length: n }, () => ({
        merchantId, livemode: opts.livemode, kind: "session" as const, status: "waiting_payment" as const, network: "ethereum", chainId: 31337,
        tokenAddress: USDC_EVM, tokenSymbol: "USDC", tokenDecimals: 6, amountUnits: opts.amount ?? 1_000_000n, destinationAddress: DESTINATION,
        displayTitle: "Order", clientSecret: crypto.randomUUID(), paymentMethodType: "solana", paymentMethodChosenAt: new Date(),
        expiresAt: sql`now() + make_interval(secs => ${opts.expiresInSeconds ?? 3600})`,
      }))).returning();
      const reqs: SolanaRequestRow[] = [];
      for (const c of rows) {
        reqs.push(await createSolanaRequest(tx, {
          merchantId, livemode: opts.livemode, checkoutId: c.id, watchUntil: new Date(c.expiresAt.getTime() + 24 * 3600_000),
          recipient: opts.recipient, mint: opts.mint, assetCode: opts.assetCode ?? "sUSDC", amount: opts.amount ?? 1_000_000n, payer: null,
        }));
      }
      return reqs;
    }));
  }
  return out;
}

export type CountingConnection = {
  conn: Connection;
  /** JSON-RPC calls per method since the last reset */
  calls: Map<string, number>;
  total(): number;
  reset(): void;
};

/** A Connection to `url` whose every JSON-RPC call (batched ones one by one) is counted by method. */
export function countingConnection(url: string): CountingConnection {
  const calls = new Map<string, number>();
  const count = (m: unknown) => { if (typeof m === "string") calls.set(m, (calls.get(m) ?? 0) + 1); };
  const conn = new Connection(url, {
    commitment: "confirmed", disableRetryOnRateLimit: true,
    fetch: (input, init) => {
      try {
        const body = JSON.parse(String(init?.body ?? "null")) as { method?: unknown } | { method?: unknown }[];
        for (const b of Array.isArray(body) ? body : [body]) count(b?.method);
      } catch { count("(unparsed)"); }
      return fetch(input, init);
    },
  });
  return { conn, calls, total: () => [...calls.values()].reduce((a, b) => a + b, 0), reset: () => calls.clear() };
}
