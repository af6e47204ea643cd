// Reads over permanent deposit addresses and their deposits (seed 001 dialect), always scoped
// by merchant and mode: another merchant's address or transaction is simply not found.
import { and, asc, desc, eq, sql } from "drizzle-orm";
import { depositAddresses, deposits, merchants } from "@/db/schema";
import { db } from "@/lib/db/client";

type Owner = { merchantId: string; livemode: boolean };

export type Income = {
  deposit_address: string;
  time: number;
  source_address: string | null;
  amount: string;
  /** the transfer's comment (TON: text, or a binary one in hex); "" when it carried none (EVM, Tron and Solana transfers never do) */
  comment: string;
  tx_hash: string;
};

const scope = (o: Owner) => and(eq(depositAddresses.merchantId, o.merchantId), eq(depositAddresses.livemode, o.livemode));

export async function addressesOfUser(owner: Owner, userId: string) {
  return db().select({ address: depositAddresses.address, currency: depositAddresses.currency }).from(depositAddresses)
    .where(and(scope(owner), eq(depositAddresses.userId, userId)))
    .orderBy(asc(depositAddresses.createdAt), asc(depositAddresses.id));
}

/**
 * Total income per deposit address of the user, in each address's own currency. Counting side
 * `deposit`: confirmed deposits received; `hot_wallet`: what sweeps moved on to the hot wallet.
 */
export async function incomeOfUser(owner: Owner, userId: string) {
  const [m] = await db().select({ side: merchants.incomeCountingSide }).from(merchants).where(eq(merchants.id, owner.merchantId));
  const side = m?.side ?? "deposit";
  // correlated subqueries: the outer columns are spelled out with their table, as drizzle leaves them unqualified
  const amount = side === "deposit"
    ? sql<string>`(select coalesce(sum(d.amount), 0)::text from deposits d
        where d.receiver_id = deposit_addresses.receiver_id and d.asset_code = deposit_addresses.currency and d.status = 'confirmed')`
    : sql<string>`(select coalesce(sum(o.amount), 0)::text from outbound_txs o join withdrawals w on w.id = o.withdrawal_id
        where w.kind = 'sweep' and w.merchant_id = deposit_addresses.merchant_id and o.from_address = deposit_addresses.address
          and w.currency = deposit_addresses.currency and o.status = 'confirmed')`;
  const rows = await db().select({ deposit_address: depositAddresses.address, amount, currency: depositAddresses.currency })
    .from(depositAddresses).where(and(scope(owner), eq(depositAddresses.userId, userId)))
    .orderBy(asc(depositAddresses.createdAt), asc(depositAddresses.id));
  return { counting_side: side, total_income: rows };
}

const incomeColumns = {
  deposit_address: deposits.toAddress,
  time: sql<number>`extract(epoch from ${deposits.createdAt})::bigint::int`,
  source_address: deposits.fromAddress,
  amount: sql<string>`${deposits.amount}::text`,
  tx_hash: deposits.txHash,
  comment: sql<string>`coalesce(${deposits.comment}, '')`,
};

const toIncome = (r: Income): Income => r;

/**
 * A hex hash matches with or without `0x` and in either case (the seed 001 document's example is
 * bare hex; EVM hashes are stored with `0x`); anything else (base58 signatures) matches exactly.
 */
function txHashMatches(txHash: string) {
  const hex = /^(?:0x)?([0-9a-fA-F]+)$/.exec(txHash);
  if (!hex) return eq(deposits.txHash, txHash);
  const bare = hex[1].toLowerCase();
  return sql`lower(${deposits.txHash}) in (${bare}, ${`0x${bare}`})`;
}

/** Deposits of one currency to the user's addresses (seen or confirmed; reverted ones are gone). */
export async function historyOfUser(owner: Owner, q: { userId: string; currency: string; limit: number; offset: number; sortOrder: "asc" | "desc" }): Promise<Income[]> {
  const order = q.sortOrder === "asc" ? [asc(deposits.createdAt), asc(deposits.id)] : [desc(deposits.createdAt), desc(deposits.id)];
  const rows = await db().select(incomeColumns).from(deposits)
    .innerJoin(depositAddresses, eq(depositAddresses.receiverId, deposits.receiverId))
    .where(and(
      scope(owner), eq(depositAddresses.userId, q.userId), eq(deposits.assetCode, q.currency),
      sql`${deposits.status} <> 'reverted'`,
    ))
    .orderBy(...order).limit(q.limit).offset(q.offset);
  return rows.map(toIncome);
}

/** One deposit to a permanent address of the merchant by transaction hash, or null. */
export async function incomeByTxHash(owner: Owner, txHash: string): Promise<{ currency: string; income: Income } | null> {
  const [row] = await db().select({ ...incomeColumns, currency: deposits.assetCode }).from(deposits)
    .innerJoin(depositAddresses, eq(depositAddresses.receiverId, deposits.receiverId))
    .where(and(scope(owner), eq(deposits.merchantId, owner.merchantId), txHashMatches(txHash), sql`${deposits.status} <> 'reverted'`))
    .orderBy(asc(deposits.logIndex)).limit(1);
  if (!row) return null;
  const { currency, ...income } = row;
  return { currency, income: toIncome(income) };
}
