// A session's history in time order: its creation, the events written for it, each deposit's
// seen / confirmed / reverted moments and the transactions we sent for it (forward, gas funding,
// refund). Pure: get-session-detail.ts loads the rows.
import type { deposits, events, outboundTxs } from "@/db/schema";
import { chainFor } from "@/lib/config";
import { findFamilyOf } from "@/lib/chains/registry";
import { assetByCode, assetByContract, displayAmount, explorerTxUrl, networkLabel } from "./chain-display";

type EventRow = Pick<typeof events.$inferSelect, "id" | "type" | "createdAt">;
type DepositRow = Pick<typeof deposits.$inferSelect,
  "id" | "network" | "livemode" | "txHash" | "logIndex" | "blockNumber" | "fromAddress" | "assetCode" | "amount" | "status" |
  "late" | "belowMinimum" | "createdAt" | "confirmedAt" | "revertedAt">;
type OutboundRow = Pick<typeof outboundTxs.$inferSelect,
  "id" | "network" | "livemode" | "purpose" | "toAddress" | "tokenAddress" | "amount" | "txHash" | "status" | "error" | "createdAt" | "updatedAt">;

export type TxRef = { hash: string; url: string | null; networkLabel: string };

export type TimelineEntry =
  | { key: string; kind: "created"; at: Date }
  | { key: string; kind: "event"; at: Date; eventId: string; type: string }
  | {
    key: string; kind: "deposit"; at: Date;
    /** which moment of the deposit this entry marks */
    phase: "seen" | "confirmed" | "reverted";
    /** the deposit's status now */
    status: "seen" | "confirmed" | "reverted";
    amount: string; symbol: string; from: string | null; tx: TxRef; blockNumber: string; late: boolean; belowMinimum: boolean;
  }
  | {
    key: string; kind: "outbound"; at: Date;
    purpose: typeof outboundTxs.$inferSelect.purpose;
    status: typeof outboundTxs.$inferSelect.status;
    amount: string; symbol: string; to: string; tx: TxRef | null; error: string | null;
  };

function txRef(network: string, livemode: boolean, hash: string): TxRef {
  return { hash, url: explorerTxUrl(network, livemode, hash), networkLabel: networkLabel(network, livemode) };
}

/**
 * The asset an outbound transaction moved. Its native-coin amounts are in the node's own units,
 * which the family's rail knows (the anvil-backed Tron devnet counts 18 decimals, a Tron node sun).
 */
function outboundAsset(o: OutboundRow) {
  const asset = assetByContract(o.network, o.livemode, o.tokenAddress);
  if (o.tokenAddress !== null || !asset) return asset;
  const chain = chainFor(o.network, o.livemode);
  const rail = chain ? findFamilyOf(chain)?.sender?.rail : undefined;
  return chain && rail ? { ...asset, decimals: rail.nativeDecimals(chain) } : asset;
}

function amountOf(units: bigint, asset: { symbol: string; decimals: number } | undefined, fallbackSymbol: string) {
  // An asset this build no longer knows: show base units rather than guess decimals.
  return asset ? { amount: displayAmount(units, asset.decimals), symbol: asset.symbol } : { amount: units.toString(), symbol: `${fallbackSymbol} base units` };
}

// Same instant: creation, then money arriving, then what it caused, then what we sent.
const RANK: Record<TimelineEntry["kind"], number> = { created: 0, deposit: 1, event: 2, outbound: 3 };

export function buildTimeline(input: {
  createdAt: Date;
  events: readonly EventRow[];
  deposits: readonly DepositRow[];
  outbound: readonly OutboundRow[];
}): TimelineEntry[] {
  const out: TimelineEntry[] = [{ key: "created", kind: "created", at: input.createdAt }];
  for (const e of input.events) out.push({ key: `event:${e.id}`, kind: "event", at: e.createdAt, eventId: e.id, type: e.type });
  for (const d of input.deposits) {
    const base = {
      kind: "deposit" as const,
      status: d.status,
      ...amountOf(d.amount, assetByCode(d.network, d.assetCode), d.assetCode),
      from: d.fromAddress,
      tx: txRef(d.network, d.livemode, d.txHash),
      blockNumber: d.blockNumber.toString(),
      late: d.late,
      belowMinimum: d.belowMinimum,
    };
    const key = `deposit:${d.id}`;
    out.push({ ...base, key: `${key}:seen`, phase: "seen", at: d.createdAt });
    if (d.confirmedAt) out.push({ ...base, key: `${key}:confirmed`, phase: "confirmed", at: d.confirmedAt });
    if (d.revertedAt) out.push({ ...base, key: `${key}:reverted`, phase: "reverted", at: d.revertedAt });
  }
  for (const o of input.outbound) {
    out.push({
      key: `outbound:${o.id}`,
      kind: "outbound",
      at: o.createdAt,
      purpose: o.purpose,
      status: o.status,
      ...amountOf(o.amount, outboundAsset(o), o.tokenAddress ?? "native"),
      to: o.toAddress,
      tx: o.txHash ? txRef(o.network, o.livemode, o.txHash) : null,
      error: o.error,
    });
  }
  // Array.prototype.sort is stable: equal entries keep their insertion order.
  return out.sort((a, b) => a.at.getTime() - b.at.getTime() || RANK[a.kind] - RANK[b.kind]);
}
