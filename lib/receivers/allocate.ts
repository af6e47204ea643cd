// Deposit addresses (DOMAIN.md "Keys and addresses"): the derivation index comes from the
// database sequence, so two processes can never hand out the same address; the address derives
// from the instance's public root alone (the web process never sees the mnemonic).
import { and, asc, eq, sql } from "drizzle-orm";
import { receivers } from "@/db/schema";
import { ApiError, errors } from "@/lib/api/errors";
import type { Executor, Tx } from "@/lib/events/emit";
import { chainFamily, type FamilyId } from "@/lib/chains/registry";
import { HOT_WALLET_INDEX } from "@/lib/keys/derive";
import { takeFromPool } from "@/lib/keys/pool";
import { xpubOf } from "@/lib/keys/roots";
import { logger } from "@/lib/log/logger";
import { reuseReceiver } from "./reuse";

export type ReceiverRow = typeof receivers.$inferSelect;
/** A family that hands out receivers of ours (ChainFamily.keys.addressAt). */
export type ReceiverFamily = FamilyId;

export { MONITORING_WINDOW_MS, watchUntilFor } from "./window";

// BIP-32 non-hardened child indexes stop at 2^31 − 1.
const MAX_INDEX = 2n ** 31n - 1n;

export type AllocateReceiverInput = {
  merchantId: string;
  livemode: boolean;
  family: ReceiverFamily;
  /** null for a permanent deposit address */
  checkoutId: string | null;
  /** null = watched forever */
  watchUntil: Date | null;
  /** the chain key the address is for ("bitcoin:test"), for families whose addresses differ per chain */
  chainKey?: string;
};

/**
 * A new receiver with the next derivation index, inserted in the caller's transaction; for an EVM
 * checkout of a merchant that reuses addresses, an earlier checkout's free address (./reuse).
 */
export async function allocateReceiver(tx: Tx, input: AllocateReceiverInput): Promise<ReceiverRow> {
  const keys = chainFamily(input.family).keys;
  if (keys?.reusable && input.checkoutId) {
    const reused = await reuseReceiver(tx, { ...input, checkoutId: input.checkoutId });
    if (reused) return reused;
  }
  if (!keys?.addressAt && keys?.derive) return insertReceiver(tx, input, await fromPool(tx, input.family));
  const addressAt = keys?.addressAt;
  if (!addressAt) throw new Error(`the ${input.family} family derives no receivers from a public root`);
  const xpub = await xpubOf(input.family);
  if (!xpub) {
    logger.error({ family: input.family },
      "cannot allocate a deposit address: no key root recorded yet. Start the worker (or `npm start`) once with the " +
      "instance mnemonic so it records its extended public key in key_roots.");
    throw errors.internal();
  }
  const { rows } = await tx.execute<{ index: string }>(sql`select nextval('receiver_index_seq')::text as index`);
  const index = BigInt(rows[0].index);
  // Index 0 is the hot wallet; the sequence starts at 1, and this keeps it that way whatever it was reset to.
  if (index <= BigInt(HOT_WALLET_INDEX) || index > MAX_INDEX) {
    throw new Error(`receiver_index_seq produced ${index}, outside 1…${MAX_INDEX}`);
  }
  return insertReceiver(tx, input, { index, address: addressAt(xpub, index, input.chainKey) });
}

/** A hardened family's next address, derived ahead by the worker (lib/keys/pool). */
async function fromPool(tx: Tx, family: ReceiverFamily): Promise<{ index: bigint; address: string }> {
  const got = await takeFromPool(tx, family);
  if (got) return got;
  logger.error({ family },
    "cannot allocate a deposit address: no derived address left in key_pool. The worker (or `npm start`) tops it up " +
    "from the instance mnemonic every 2 s; is it running?");
  // the worker refills the pool within seconds: a retry will succeed (a 500 would say it never does)
  throw new ApiError("api_error", "deposit_addresses_exhausted", "No deposit address is ready on this network right now; retry in a few seconds.",
    null, 503, { "Retry-After": "5" });
}

async function insertReceiver(tx: Tx, input: AllocateReceiverInput, key: { index: bigint; address: string }): Promise<ReceiverRow> {
  const form = chainFamily(input.family).keys?.receiverForm;
  const [row] = await tx.insert(receivers).values({
    merchantId: input.merchantId,
    livemode: input.livemode,
    family: input.family,
    address: form ? form(key.address, input.livemode) : key.address,
    derivationIndex: key.index,
    checkoutId: input.checkoutId,
    watchUntil: input.watchUntil,
  }).returning();
  return row;
}

/** The checkout's receiver of a family (the first one, should there ever be several), or null. */
export async function findCheckoutReceiver(exec: Executor, checkoutId: string, family: ReceiverFamily): Promise<ReceiverRow | null> {
  const [row] = await exec.select().from(receivers)
    .where(and(eq(receivers.checkoutId, checkoutId), eq(receivers.family, family)))
    .orderBy(asc(receivers.createdAt), asc(receivers.derivationIndex))
    .limit(1);
  return row ?? null;
}
