// Reused checkout addresses (issue 21): a merchant may let a new EVM checkout take the address of one
// of its own earlier checkouts. An address that has delegated to the sweeper (EIP-7702) stays
// delegated, so its next batch sweep needs no new authorization: 25,000 gas of the ≈ 29,500 a
// fresh address costs per payment. Off by default (merchants.reuse_receivers), because an address
// is then no longer one checkout's forever: a payer who sends to it again from a wallet's address
// book, long after, pays whichever checkout holds it then.
//
// So an address is taken over only when its last checkout is long over and nothing of it is left:
// - the checkout is terminal and its monitoring window (watch_until) closed QUARANTINE_MS ago;
// - nothing it received is unsettled: no deposit still `seen`, and for every network and asset it
//   received, a settlement group delivered or refunded with exactly the confirmed amount (funds
//   held for a late payment, an unresolved exception or a batch not yet sent keep it);
// - none of that checkout's transactions is still on its way;
// - no later row took it over already.
// The new checkout gets a receiver row of its own (reuses → the earlier row): every checkout keeps
// its own receiver, deposits and history, and a credit to the address goes to the newest row.
import { eq, sql } from "drizzle-orm";
import { receivers } from "@/db/schema";
import type { FamilyId } from "@/lib/chains/registry";
import { pgError } from "@/lib/db/errors";
import type { Tx } from "@/lib/events/emit";
import { logger } from "@/lib/log/logger";
import { MONITORING_WINDOW_MS } from "./window";

/** How long after an earlier checkout's monitoring window closed its address may be taken over. */
export const QUARANTINE_MS = 7 * 24 * 60 * 60 * 1000;
/** …so, after its expiry: the monitoring window and the quarantine (8 days). */
export const REUSE_AFTER_MS = MONITORING_WINDOW_MS + QUARANTINE_MS;

type ReceiverRow = typeof receivers.$inferSelect;

export type ReuseInput = { merchantId: string; livemode: boolean; family: FamilyId; checkoutId: string; watchUntil: Date | null };

/**
 * The merchant's free address of the family (one whose keys are `reusable`), taken over for
 * `input.checkoutId` in the caller's transaction (a new receiver row), or null when the merchant
 * does not reuse addresses or none is free.
 */
export async function reuseReceiver(tx: Tx, input: ReuseInput): Promise<ReceiverRow | null> {
  const { rows } = await tx.execute<{ id: string }>(sql`
    select r.id from receivers r
    join merchants m on m.id = r.merchant_id and m.reuse_receivers
    join checkouts c on c.id = r.checkout_id
    where r.merchant_id = ${input.merchantId} and r.livemode = ${input.livemode} and r.family = ${input.family}
      and r.watch_until < now() - make_interval(secs => ${QUARANTINE_MS / 1000})
      and c.status in ('succeeded', 'bounced', 'expired')
      and not exists (select 1 from receivers n where n.reuses = r.id)
      and not exists (select 1 from deposits d where d.receiver_id = r.id and d.status = 'seen')
      and not exists (
        select 1 from deposits d where d.receiver_id = r.id and d.status = 'confirmed'
        group by d.network, d.asset_code
        having sum(d.amount) is distinct from (select g.deposited_units from settlement_groups g
          where g.checkout_id = r.checkout_id and g.receiver_id = r.id and g.network = d.network and g.asset_code = d.asset_code and g.status in ('delivered', 'refunded')))
      and not exists (select 1 from outbound_txs o where o.checkout_id = r.checkout_id and o.status in ('created', 'signed', 'broadcast'))
    order by r.watch_until
    limit 1
    for update of r skip locked`);
  if (rows.length === 0) return null;
  const [earlier] = await tx.select().from(receivers).where(eq(receivers.id, rows[0].id));
  try {
    // a savepoint: should a concurrent checkout have taken the same address first (receivers_reuses_key), this one gets a fresh address
    return await tx.transaction(async (sp) => {
      const [{ seq }] = (await sp.execute<{ seq: string }>(sql`select nextval('receiver_index_seq')::text as seq`)).rows;
      const [row] = await sp.insert(receivers).values({
        merchantId: earlier.merchantId, livemode: earlier.livemode, family: earlier.family, address: earlier.address,
        derivationIndex: earlier.derivationIndex, checkoutId: input.checkoutId, watchUntil: input.watchUntil,
        reuses: earlier.id, seq: BigInt(seq),
      }).returning();
      return row;
    });
  } catch (e) {
    if (pgError(e)?.constraint !== "receivers_reuses_key") throw e;
    logger.info({ receiverId: earlier.id }, "address taken over by a concurrent checkout; a fresh one instead");
    return null;
  }
}
