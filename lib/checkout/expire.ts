// Expiry (DOMAIN.md): checkouts still requires_payment_method or waiting_payment after expiresAt
// become expired, emitting session.expired. Any worker may run it; FOR UPDATE SKIP LOCKED keeps
// two workers (and the watcher's evaluation) from deciding the same checkout at once.
//
// A waiting checkout expires only once every enabled chain of its mode has been processed past
// expiresAt (network_status.head_time is the last processed block's time): a payment mined just
// before the deadline is then seen as paid in time, never as late because the watcher was a
// block behind. A chain whose watcher is stuck delays expiry by at most `graceSeconds`.
// Deposits of an underpaid checkout stay recorded; the checkout just expires.
import { sql } from "drizzle-orm";
import { watchedChains } from "@/lib/chains/registry";
import { db } from "@/lib/db/client";
import { evaluateCheckout } from "./evaluate";
import type { CheckoutStatus } from "./state-machine";

export type ExpireOptions = { limit?: number; graceSeconds?: number; networks?: { live: string[]; test: string[] } };

function watchedNetworks(): { live: string[]; test: string[] } {
  // every network a watcher scans: the enabled ones whose family this build implements
  const watched = watchedChains();
  return { live: watched.filter((c) => c.livemode).map((c) => c.network), test: watched.filter((c) => !c.livemode).map((c) => c.network) };
}

/** Expires what is due, in one transaction; returns how many checkouts expired. */
export async function expireDue(opts: ExpireOptions = {}): Promise<number> {
  const { live, test } = opts.networks ?? watchedNetworks();
  const limit = opts.limit ?? 200;
  const grace = opts.graceSeconds ?? 60;
  return db().transaction(async (tx) => {
    const due = await tx.execute<{ id: string; status: CheckoutStatus; kind: string }>(sql`
      select c.id, c.status, c.kind from checkouts c
      where c.status in ('requires_payment_method', 'waiting_payment') and c.expires_at <= now()
        and (c.status = 'requires_payment_method'
          or c.expires_at <= now() - make_interval(secs => ${grace})
          or not exists (
            select 1 from network_status ns
            where ns.livemode = c.livemode
              and ns.network = any(case when c.livemode then ${sql.param(live)}::text[] else ${sql.param(test)}::text[] end)
              and ns.head_time < c.expires_at))
      order by c.expires_at
      limit ${limit}
      for update of c skip locked`);
    let expired = 0;
    for (const row of due.rows) {
      // locked above; the decider takes it (expired, with its exception when partly paid)
      const e = await evaluateCheckout(row.id, { tx, expire: true });
      if (e?.checkout.status === "expired") expired++;
    }
    return expired;
  });
}
