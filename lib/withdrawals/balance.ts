// GET /v1/balance (seed 001) and GET /v1/balances: what the merchant owns is what its ledger
// accounts say (API.md §3 "Balances and the ledger"), never the shared hot wallet's on-chain
// balance. With `address`: the on-chain balance of one of the merchant's own deposit addresses;
// the hot wallet's only for the instance's operator.
import { and, eq, sql } from "drizzle-orm";
import { merchants, receivers, withdrawals } from "@/db/schema";
import { errors } from "@/lib/api/errors";
import { resolveCurrency } from "@/lib/currencies/resolve";
import { db } from "@/lib/db/client";
import { merchantBalance, merchantBalances, type Owner } from "@/lib/ledger/accounts";
import { NETWORKS } from "@/lib/config/networks";
import { familyOf } from "./families";

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

async function isOperator(merchantId: string): Promise<boolean> {
  const [m] = await db().select({ op: merchants.isOperator }).from(merchants).where(eq(merchants.id, merchantId));
  return m?.op ?? false;
}

export async function balance(owner: Owner, currencyCode: string, address?: string) {
  const currency = resolveCurrency(currencyCode, owner.livemode);
  const queue = await queueTotals(owner, currency.code);
  const totals = { total_processing_amount: queue.processing.toString(), total_pending_amount: queue.pending.toString() };
  const family = familyOf(currency.network.family);
  if (address === undefined) {
    const mine = await merchantBalance(owner, currency.network.name, currency.code);
    // a family with account states (TON) reports the hot wallet's
    const hotStatus = family.accountStatus
      ? await family.hotWallet().then((w) => family.accountStatus!(currency.chain, w)).catch(() => undefined) : undefined;
    return { balance: mine.available.toString(), ...(hotStatus ? { status: hotStatus } : {}), ...totals };
  }
  const parsed = family.parseAddress(address, currency.chain.key);
  if (!parsed) throw errors.validation(`'${address}' is not a valid ${currency.network.displayName} address.`, "address", "invalid_address");
  const hot = await family.hotWallet(currency.chain.key);
  if (parsed === hot) {
    // the shared hot wallet holds every merchant's payouts: only the operator sees it
    if (!(await isOperator(owner.merchantId))) throw errors.notFound("address", "address");
  } else {
    const [mine] = await db().select({ id: receivers.id }).from(receivers)
      .where(and(eq(receivers.merchantId, owner.merchantId), eq(receivers.livemode, owner.livemode), eq(receivers.address, parsed))).limit(1);
    if (!mine) throw errors.notFound("address", "address");
  }
  const amount = await family.balanceOf(currency.chain, currency.contract, parsed);
  const status = family.accountStatus ? await family.accountStatus(currency.chain, parsed) : undefined;
  return {
    balance: amount.toString(), ...(status ? { status } : {}),
    ...(parsed === hot ? totals : { total_processing_amount: "0", total_pending_amount: "0" }),
  };
}

/** GET /v1/balances: every ledger account of the merchant, in base units. */
export async function balances(owner: Owner) {
  const rows = await merchantBalances(owner);
  return rows.map((b) => ({
    network: b.network,
    asset: NETWORKS.find((n) => n.name === b.network)?.assets.find((a) => a.code === b.asset)?.asset ?? b.asset,
    code: b.asset,
    available: b.available.toString(),
    incoming: b.incoming.toString(),
    reserved: b.reserved.toString(),
    fees: b.fees.toString(),
  }));
}
