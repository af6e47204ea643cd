// Recording on-chain credits as deposits, the same way for the chain watcher and for
// PUT /v1/sessions/{id}/check, followed in the same transaction by the deposit.* events and an
// evaluation of every checkout touched. Inserting the same credit twice is a no-op (unique on
// network, mode, tx hash, log index).
import { and, eq, inArray, notInArray, sql, getTableColumns, gte, lte } from "drizzle-orm";
import { chainFamily, familyIdOf } from "@/lib/chains/registry";
import { depositAddresses, deposits, receivers } from "@/db/schema";
import { evaluateCheckout, type FreshDeposit } from "@/lib/checkout/evaluate";
import { emit, type EventType, type NewEvent, type Tx } from "@/lib/events/emit";
import { logger } from "@/lib/log/logger";
import type { Credit } from "./credit";
import { serializeDeposit, type DepositRow } from "./serialize";
import { valueConfirmedDeposits } from "./valuation";

export type { Credit };

/** What changed in this transaction, to be announced and evaluated. */
export type DepositChanges = {
  recorded: { row: DepositRow; blockTime: Date }[];
  confirmed: DepositRow[];
  reverted: DepositRow[];
};

export const noChanges = (): DepositChanges => ({ recorded: [], confirmed: [], reverted: [] });

/**
 * Inserts the credits that go to a known receiver. A credit already recorded in the same block is
 * left alone. One that was reverted, or recorded under another block (re-included after a reorg;
 * first seen through check on a block that was then replaced), is recorded again: it moves to
 * this block and back to seen — unless it is confirmed, which is final.
 */
export async function recordCredits(tx: Tx, credits: readonly Credit[]): Promise<DepositChanges["recorded"]> {
  if (credits.length === 0) return [];
  // credits carry 0x hex (the JSON-RPC form); rows keep each family's own form (Tron: base58check)
  const familyOf = (network: string) => chainFamily(familyIdOf(network));
  const addresses = [...new Set(credits.map((c) => familyOf(c.network).addresses.stored(c.to)))];
  const families = [...new Set(credits.map((c) => familyOf(c.network).id))];
  const rows = await tx.select({
    id: receivers.id, merchantId: receivers.merchantId, livemode: receivers.livemode, address: receivers.address, checkoutId: receivers.checkoutId,
    family: receivers.family, watchUntil: receivers.watchUntil,
  })
    .from(receivers).where(and(inArray(receivers.family, families), inArray(receivers.address, addresses)))
    .orderBy(sql`coalesce(${receivers.seq}, ${receivers.derivationIndex})`);
  type Held = (typeof rows)[number];
  // a reused address (lib/receivers/reuse) has a row per checkout that held it, oldest first: a
  // credit belongs to the last one whose predecessor's window had closed by its block, so one found
  // late (checked by its payer) stays its own checkout's. The days between the windows and the
  // takeover leave no doubt to the clocks.
  const byAddress = new Map<string, Held[]>();
  for (const r of rows) {
    const key = `${r.family}:${chainFamily(r.family).addresses.key(r.address)}`;
    const held = byAddress.get(key);
    if (held) held.push(r);
    else byAddress.set(key, [r]);
  }
  const ownerAt = (held: Held[] | undefined, at: Date): Held | undefined => {
    if (!held) return undefined;
    let owner = held[0];
    for (let i = 1; i < held.length; i++) if (held[i - 1].watchUntil && held[i - 1].watchUntil! < at) owner = held[i];
    return owner;
  };
  const minimums = await minimumsOf(tx, rows.filter((r) => r.checkoutId === null).map((r) => r.id));
  const values: DepositInsert[] = [];
  const timeOf = new Map<string, Date>();
  for (const c of credits) {
    const family = familyOf(c.network);
    const r = ownerAt(byAddress.get(`${family.id}:${c.to}`), c.blockTime);
    if (!r || r.livemode !== c.livemode) {
      logger.warn({ network: c.network, txHash: c.txHash, to: c.to }, "credit to an address that is not a receiver of this mode");
      continue;
    }
    values.push({
      merchantId: r.merchantId, livemode: c.livemode, network: c.network, chainId: c.chainId,
      txHash: c.txHash, logIndex: c.logIndex, blockNumber: BigInt(c.blockNumber), blockHash: c.blockHash,
      fromAddress: c.from ? family.addresses.stored(c.from) : null, toAddress: r.address,
      tokenAddress: c.tokenAddress ? family.addresses.stored(c.tokenAddress) : null, assetCode: c.assetCode, amount: c.amount,
      receiverId: r.id, checkoutId: r.checkoutId,
      belowMinimum: isBelowMinimum(minimums.get(r.id), c.assetCode, c.amount),
    });
    timeOf.set(`${c.txHash}:${c.logIndex}`, c.blockTime);
  }
  return upsertDeposits(tx, values, timeOf);
}

export type DepositInsert = typeof deposits.$inferInsert;

/**
 * Inserts deposit rows already matched to their receivers (any family), keyed by
 * `${txHash}:${logIndex}` in `timeOf` for their block times; returns the rows inserted or moved.
 */
export async function upsertDeposits(tx: Tx, values: readonly DepositInsert[], timeOf: ReadonlyMap<string, Date>): Promise<DepositChanges["recorded"]> {
  if (values.length === 0) return [];
  const out = await tx.insert(deposits).values([...values])
    .onConflictDoUpdate({
      target: [deposits.network, deposits.livemode, deposits.txHash, deposits.logIndex],
      set: { blockNumber: sql`excluded.block_number`, blockHash: sql`excluded.block_hash`, status: "seen", revertedAt: null },
      setWhere: sql`(${deposits.blockHash} <> excluded.block_hash or ${deposits.status} = 'reverted') and ${deposits.status} <> 'confirmed'`,
    })
    .returning(getTableColumns(deposits));
  return out.map((row) => ({ row, blockTime: timeOf.get(`${row.txHash}:${row.logIndex}`)! }));
}

/** Permanent deposit addresses' minimums (seed 002 min_amount) by receiver id. */
async function minimumsOf(tx: Tx, receiverIds: readonly string[]): Promise<Map<string, { currency: string; min: bigint | null }>> {
  if (receiverIds.length === 0) return new Map();
  const rows = await tx.select({ receiverId: depositAddresses.receiverId, currency: depositAddresses.currency, min: depositAddresses.minAmount })
    .from(depositAddresses).where(inArray(depositAddresses.receiverId, [...receiverIds]));
  return new Map(rows.map((r) => [r.receiverId, { currency: r.currency, min: r.min }]));
}

/** Below the address's minimum: recorded and flagged, never dropped. */
function isBelowMinimum(m: { currency: string; min: bigint | null } | undefined, assetCode: string, amount: bigint): boolean {
  return m !== undefined && m.min !== null && m.currency === assetCode && amount < m.min;
}

/**
 * Deposits recorded in [from, to] under a block hash that is not the canonical one there (first
 * seen through check on a block that was then replaced) are reverted.
 */
export async function revertOffChain(tx: Tx, network: string, livemode: boolean, from: number, to: number, canonical: readonly string[]): Promise<DepositRow[]> {
  return tx.update(deposits).set({ status: "reverted", revertedAt: sql`now()` })
    .where(and(
      eq(deposits.network, network), eq(deposits.livemode, livemode), eq(deposits.status, "seen"),
      gte(deposits.blockNumber, BigInt(from)), lte(deposits.blockNumber, BigInt(to)), notInArray(deposits.blockHash, [...canonical]),
    ))
    .returning();
}

/** Seen deposits above the common ancestor of a reorg are reverted; confirmed ones are final and stay. */
export async function revertAbove(tx: Tx, network: string, livemode: boolean, ancestor: number): Promise<DepositRow[]> {
  const reverted = await tx.update(deposits).set({ status: "reverted", revertedAt: sql`now()` })
    .where(and(eq(deposits.network, network), eq(deposits.livemode, livemode), eq(deposits.status, "seen"), sql`${deposits.blockNumber} > ${ancestor}`))
    .returning();
  const [{ n }] = await tx.select({ n: sql<number>`count(*)::int` }).from(deposits)
    .where(and(eq(deposits.network, network), eq(deposits.livemode, livemode), eq(deposits.status, "confirmed"), sql`${deposits.blockNumber} > ${ancestor}`));
  if (n > 0) logger.error({ network, livemode, ancestor, confirmedDeposits: n }, "reorg deeper than the confirmation depth: confirmed deposits above the common ancestor are kept as confirmed");
  return reverted;
}

/**
 * Confirmation (DOMAIN.md): with N confirmations a deposit in block B is confirmed once the
 * processed head is ≥ B + N − 1 (N = 1: as soon as its block is processed), B being canonical.
 * Called for each processed range [from, to]: the blocks that reach depth N with it are
 * [from − N + 1, to − N + 1], so every block number becomes confirmable exactly once as the
 * checkpoint advances (again after a reorg moved it back), and only deposits of blocks the watcher
 * itself walked through are confirmed. (check() confirms what it records behind the watcher.)
 */
export async function confirmRange(tx: Tx, network: string, livemode: boolean, from: number, to: number, confirmations: number): Promise<DepositRow[]> {
  const n = Math.max(confirmations, 1);
  return tx.update(deposits).set({ status: "confirmed", confirmedAt: sql`now()` })
    .where(and(
      eq(deposits.network, network), eq(deposits.livemode, livemode), eq(deposits.status, "seen"),
      gte(deposits.blockNumber, BigInt(from - n + 1)), lte(deposits.blockNumber, BigInt(to - n + 1)),
    ))
    .returning();
}

/** Confirms these deposits (check() recording blocks the watcher passed long ago). */
export async function confirmDeposits(tx: Tx, ids: readonly string[]): Promise<DepositRow[]> {
  if (ids.length === 0) return [];
  return tx.update(deposits).set({ status: "confirmed", confirmedAt: sql`now()` })
    .where(and(inArray(deposits.id, [...ids]), eq(deposits.status, "seen")))
    .returning();
}

/** The user of each permanent deposit address among these deposits' receivers (seed 000 customerId), by receiver id. */
async function customersOf(tx: Tx, rows: readonly DepositRow[]): Promise<Map<string, string | null>> {
  const ids = [...new Set(rows.filter((d) => d.checkoutId === null).map((d) => d.receiverId))];
  if (ids.length === 0) return new Map();
  const found = await tx.select({ receiverId: depositAddresses.receiverId, userId: depositAddresses.userId })
    .from(depositAddresses).where(inArray(depositAddresses.receiverId, ids));
  return new Map(found.map((r) => [r.receiverId, r.userId]));
}

/** deposit.* events, then one evaluation per checkout touched, in id order (a fixed lock order). */
export async function announceAndEvaluate(tx: Tx, changes: DepositChanges): Promise<void> {
  const events: NewEvent[] = [];
  const all = [...changes.recorded.map((r) => r.row), ...changes.reverted, ...changes.confirmed];
  const customers = await customersOf(tx, all);
  const valuations = await valueConfirmedDeposits(tx, changes.confirmed);
  const add = (type: EventType, d: DepositRow) => events.push({
    merchantId: d.merchantId, livemode: d.livemode, type, objectType: "deposit", objectId: d.id,
    data: serializeDeposit(d, { customerId: customers.get(d.receiverId), valuation: valuations.get(d.id) }),
  });
  for (const { row } of changes.recorded) add("deposit.detected", row);
  for (const d of changes.reverted) add("deposit.reverted", d);
  for (const d of changes.confirmed) add("deposit.confirmed", d);
  if (events.length) await emit(tx, events);

  const fresh = new Map<string, FreshDeposit[]>();
  const touch = (checkoutId: string | null) => { if (checkoutId && !fresh.has(checkoutId)) fresh.set(checkoutId, []); };
  for (const { row, blockTime } of changes.recorded) {
    touch(row.checkoutId);
    if (row.checkoutId) fresh.get(row.checkoutId)!.push({ id: row.id, blockTime });
  }
  for (const d of changes.reverted) touch(d.checkoutId);
  for (const d of changes.confirmed) touch(d.checkoutId);
  for (const id of [...fresh.keys()].sort()) await evaluateCheckout(id, { tx, fresh: fresh.get(id) });
}
