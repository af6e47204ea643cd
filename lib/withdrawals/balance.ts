// GET /v1/balance: the hot wallet's (or one of the merchant's addresses') on-chain balance, plus
// what the merchant's withdrawal queue still owes in that currency.
import { and, eq, sql } from "drizzle-orm";
import { receivers, withdrawals } from "@/db/schema";
import { errors } from "@/lib/api/errors";
import { resolveCurrency } from "@/lib/currencies/resolve";
import { db } from "@/lib/db/client";
import { familyOf } from "./families";

type Owner = { merchantId: string; livemode: boolean };

export type QueueTotals = { pending: bigint; processing: bigint };

/** Sums of the merchant's payouts in `currency` by status. */
export async function queueTotals(owner: Owner, currency: string): Promise<QueueTotals> {
  const rows = await db().select({ status: withdrawals.status, sum: sql<string>`coalesce(sum(${withdrawals.amount}), 0)::text` })
    .from(withdrawals)
    .where(and(eq(withdrawals.merchantId, owner.merchantId), eq(withdrawals.livemode, owner.livemode), eq(withdrawals.currency, currency),
      eq(withdrawals.kind, "payout")))
    .groupBy(withdrawals.status);
  const of = (s: string) => BigInt(rows.find((r) => r.status === s)?.sum ?? "0");
  return { pending: of("pending"), processing: of("processing") };
}

export async function balance(owner: Owner, currencyCode: string, address?: string) {
  const currency = resolveCurrency(currencyCode, owner.livemode);
  const family = familyOf(currency.network.family);
  const hot = await family.hotWallet();
  let target = hot;
  if (address !== undefined) {
    const parsed = family.parseAddress(address);
    if (!parsed) throw errors.validation(`'${address}' is not a valid ${currency.network.displayName} address.`, "address", "invalid_address");
    if (parsed !== hot) {
      // only the instance's hot wallet and the merchant's own addresses
      const [mine] = await db().select({ id: receivers.id }).from(receivers)
        .where(and(eq(receivers.merchantId, owner.merchantId), eq(receivers.livemode, owner.livemode), eq(receivers.address, parsed))).limit(1);
      if (!mine) throw errors.notFound("address", "address");
    }
    target = parsed;
  }
  const amount = await family.balanceOf(currency.chain, currency.contract, target);
  const queue = target === hot ? await queueTotals(owner, currency.code) : { pending: 0n, processing: 0n };
  return {
    balance: amount.toString(),
    total_processing_amount: queue.processing.toString(),
    total_pending_amount: queue.pending.toString(),
  };
}
