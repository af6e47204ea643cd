// A deposit as carried in deposit.* events: base units as integer strings (the seed-001 dialect's
// convention for deposits), unix seconds.
import type { deposits } from "@/db/schema";
import type { Valuation } from "./valuation";

export type DepositRow = typeof deposits.$inferSelect;

export type DepositView = {
  id: string;
  object: "deposit";
  network: string;
  chainId: number | null;
  livemode: boolean;
  status: DepositRow["status"];
  txHash: string;
  logIndex: number;
  blockNumber: number;
  blockHash: string;
  fromAddress: string | null;
  toAddress: string;
  tokenAddress: string | null;
  /** the currency code (eUSDT, ETH, …: seed 000's codes) */
  currency: string;
  amount: string;
  sessionId: string | null;
  /** a deposit to a permanent address: its user (seed 000 customerId, seed 001 user_id, seed 002 client_info.client_id); else null */
  customerId: string | null;
  /** seed 002 currency_to: the deposit's value in it at confirmation (a valuation; no exchange takes place); else null */
  valuation: Valuation | null;
  late: boolean;
  /** below the deposit address's min_amount: recorded and flagged */
  belowMinimum: boolean;
  createdAt: number;
  confirmedAt: number | null;
  revertedAt: number | null;
};

const unix = (d: Date | null) => (d ? Math.floor(d.getTime() / 1000) : null);

export function serializeDeposit(d: DepositRow, extra: { customerId?: string | null; valuation?: Valuation | null } = {}): DepositView {
  return {
    id: d.id,
    object: "deposit",
    network: d.network,
    chainId: d.chainId,
    livemode: d.livemode,
    status: d.status,
    txHash: d.txHash,
    logIndex: d.logIndex,
    blockNumber: Number(d.blockNumber),
    blockHash: d.blockHash,
    fromAddress: d.fromAddress,
    toAddress: d.toAddress,
    tokenAddress: d.tokenAddress,
    currency: d.assetCode,
    amount: d.amount.toString(),
    sessionId: d.checkoutId,
    customerId: extra.customerId ?? null,
    valuation: extra.valuation ?? null,
    late: d.late,
    belowMinimum: d.belowMinimum,
    createdAt: unix(d.createdAt)!,
    confirmedAt: unix(d.confirmedAt),
    revertedAt: unix(d.revertedAt),
  };
}
