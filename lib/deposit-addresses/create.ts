// Permanent deposit addresses: a receiver without a checkout (watched forever) plus the record
// the dialects read. Seed 001 hands out a new address on every call; seed 000 returns the same
// address for the same customer and currency (a unique index decides races); seed 002 creates one
// per call with its own title, limits and callback.
import { and, eq, sql } from "drizzle-orm";
import { depositAddresses } from "@/db/schema";
import type { ResolvedCurrency } from "@/lib/currencies/resolve";
import { db } from "@/lib/db/client";
import { familyOf } from "@/lib/chains/registry";
import { allocateReceiver } from "@/lib/receivers/allocate";
import { newSecret } from "@/lib/webhooks/secret";

export type DepositAddressRow = typeof depositAddresses.$inferSelect;
type Owner = { merchantId: string; livemode: boolean };

export type NewDepositAddress = {
  kind: DepositAddressRow["kind"];
  userId: string | null;
  currency: ResolvedCurrency;
  title?: string | null;
  callbackUrl?: string | null;
  clientInfo?: Record<string, string | null> | null;
  currencyTo?: string | null;
  minAmount?: bigint | null;
  maxAmount?: bigint | null;
};

async function insert(owner: Owner, input: NewDepositAddress): Promise<DepositAddressRow> {
  return db().transaction(async (tx) => {
    const family = familyOf(input.currency.network.name);
    if (!family.depositAddresses || !family.keys) throw new Error(`no deposit addresses on ${family.id}`);
    const receiver = await allocateReceiver(tx, { ...owner, family: family.id, checkoutId: null, watchUntil: null, chainKey: input.currency.chain.key });
    const [row] = await tx.insert(depositAddresses).values({
      ...owner,
      receiverId: receiver.id,
      address: receiver.address,
      network: input.currency.network.name,
      currency: input.currency.code,
      kind: input.kind,
      userId: input.userId,
      title: input.title ?? null,
      callbackUrl: input.callbackUrl ?? null,
      callbackSecret: input.callbackUrl ? newSecret() : null,
      clientInfo: input.clientInfo ?? null,
      currencyTo: input.currencyTo ?? null,
      minAmount: input.minAmount ?? null,
      maxAmount: input.maxAmount ?? null,
    }).onConflictDoNothing().returning();
    // lost a race on the customer index: roll back, so no orphan receiver is left watched
    if (!row) throw new LostRace();
    return row;
  });
}

class LostRace extends Error {}

/** A new address on every call (seed 001 address/new, seed 002 create). */
export async function createDepositAddress(owner: Owner, input: NewDepositAddress): Promise<DepositAddressRow> {
  return insert(owner, input);
}

/** The customer's address for the currency, created on first request (seed 000). */
export async function customerDepositAddress(owner: Owner, customerId: string, currency: ResolvedCurrency): Promise<{ row: DepositAddressRow; created: boolean }> {
  const existing = () => db().select().from(depositAddresses).where(and(
    eq(depositAddresses.merchantId, owner.merchantId), eq(depositAddresses.livemode, owner.livemode),
    eq(depositAddresses.kind, "customer"), eq(depositAddresses.userId, customerId), eq(depositAddresses.currency, currency.code),
  )).limit(1);
  const [found] = await existing();
  if (found) return { row: found, created: false };
  // a concurrent request may win the unique index: its row is the answer (our receiver rolls back with nothing)
  try {
    return { row: await insert(owner, { kind: "customer", userId: customerId, currency }), created: true };
  } catch (err) {
    if (!(err instanceof LostRace)) throw err;
    const [winner] = await existing();
    return { row: winner, created: false };
  }
}

/** Totals of confirmed deposits in the address's own currency, per address id. */
export async function receivedTotals(ids: readonly string[]): Promise<Map<string, { amount: bigint; count: number }>> {
  const out = new Map<string, { amount: bigint; count: number }>();
  if (ids.length === 0) return out;
  const { rows } = await db().execute<{ id: string; amount: string; n: number }>(sql`
    select a.id, coalesce(sum(d.amount), 0)::text as amount, count(d.id)::int as n
    from deposit_addresses a
    join deposits d on d.receiver_id = a.receiver_id and d.asset_code = a.currency and d.status = 'confirmed'
    where a.id in (${sql.join(ids.map((id) => sql`${id}::uuid`), sql`, `)})
    group by a.id`);
  for (const r of rows) out.set(r.id, { amount: BigInt(r.amount), count: r.n });
  return out;
}
