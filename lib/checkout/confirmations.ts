// How far each payment of a checkout is on its way to confirmed, for the payer's page and the
// dashboard: "2 of 12 confirmations" from the network's configured depth (lib/config) and the head
// the watcher last read (network_status), and an estimate of the time left from the network's
// usual block time. A deposit in block B with the head at H has H − B + 1 confirmations; it is
// confirmed once that reaches the depth (lib/deposits/record's confirmRange), so until the
// watcher marks it, the count stops one short of the depth.
import { and, asc, eq, ne, or } from "drizzle-orm";
import { deposits, networkStatus } from "@/db/schema";
import { chainFor } from "@/lib/config";
import { networkSpec } from "@/lib/config/networks";
import { db } from "@/lib/db/client";
import { assetDisplay } from "@/lib/money/format";
import { formatUnits } from "@/lib/money/units";

/**
 * Usual seconds between blocks (mainnet), for estimates only. Not in lib/config/networks yet: a
 * `blockSeconds` on NetworkSpec would be its home; until then this table (a network missing here
 * gets no estimate, only the count).
 */
export const BLOCK_SECONDS: Readonly<Record<string, number>> = {
  ethereum: 12, polygon: 2, bsc: 3, bahamut: 3, base: 2, arbitrum: 0.25, optimism: 2,
  tron: 3, solana: 0.4, bitcoin: 600, litecoin: 150, ton: 5,
};

export type DepositProgress = {
  txHash: string;
  network: string;
  networkName: string;
  /** decimal text, every digit ("5", "0.000123") */
  amount: string;
  /** the asset's display name ("USDC", "USDC.e", "ETH") */
  symbol: string;
  status: "seen" | "confirmed";
  /** arrived after the checkout ended */
  late: boolean;
  confirmations: number;
  required: number;
  /** estimated seconds until confirmed (0 once confirmed); null without a block time or a head */
  secondsLeft: number | null;
};

/** The count and estimate for one deposit (pure). */
export function progressOf(d: { blockNumber: bigint; status: "seen" | "confirmed" }, head: bigint | null, required: number, blockSeconds: number | undefined) {
  const depth = Math.max(required, 1);
  if (d.status === "confirmed") return { confirmations: depth, required: depth, secondsLeft: 0 };
  const seen = head === null || head < d.blockNumber ? 0 : Number(head - d.blockNumber + 1n);
  const confirmations = Math.min(seen, depth - 1);
  const secondsLeft = head === null || blockSeconds === undefined ? null : Math.max(1, Math.ceil((depth - confirmations) * blockSeconds));
  return { confirmations, required: depth, secondsLeft };
}

/** Every payment of a checkout that was not reverted, oldest first, with its confirmations. */
export async function checkoutConfirmations(checkoutId: string): Promise<DepositProgress[]> {
  const rows = await db().select().from(deposits)
    .where(and(eq(deposits.checkoutId, checkoutId), ne(deposits.status, "reverted")))
    .orderBy(asc(deposits.createdAt), asc(deposits.blockNumber), asc(deposits.logIndex));
  if (rows.length === 0) return [];
  const nets = [...new Set(rows.map((r) => `${r.network}|${r.livemode}`))].map((k) => k.split("|"));
  const heads = await db().select({ network: networkStatus.network, livemode: networkStatus.livemode, head: networkStatus.headNumber }).from(networkStatus)
    .where(or(...nets.map(([n, l]) => and(eq(networkStatus.network, n), eq(networkStatus.livemode, l === "true")))));
  const headOf = (network: string, livemode: boolean) => heads.find((h) => h.network === network && h.livemode === livemode)?.head ?? null;
  return rows.map((r) => {
    const required = chainFor(r.network, r.livemode)?.confirmations ?? networkSpec(r.network)?.defaultConfirmations ?? 1;
    return {
      txHash: r.txHash,
      network: r.network,
      networkName: networkSpec(r.network)?.displayName ?? r.network,
      amount: formatUnits(r.amount, assetDisplay({ network: r.network, code: r.assetCode }).decimals),
      symbol: assetDisplay({ network: r.network, code: r.assetCode }).symbol,
      status: r.status === "confirmed" ? "confirmed" as const : "seen" as const,
      late: r.late,
      ...progressOf({ blockNumber: r.blockNumber, status: r.status === "confirmed" ? "confirmed" : "seen" }, headOf(r.network, r.livemode), required, BLOCK_SECONDS[r.network]),
    };
  });
}
