import { sql } from "drizzle-orm";
import { chainFor, config, stallAlertSeconds } from "@/lib/config";
import { db } from "@/lib/db/client";

export type Health = {
  ok: boolean;
  database: { ok: boolean; error?: string };
  worker: { ok: boolean; lastHeartbeatAgeSeconds: number | null };
  /** networks whose payouts the solvency check paused (an alert for the operator; readiness is not affected) */
  payoutsPaused: { network: string; livemode: boolean }[];
  /**
   * Sending addresses (hot wallet, receivers) whose oldest unfinished transaction has waited
   * longer than the network's STALL_ALERT_SECONDS: a stalled nonce holds up everything after it
   * (an alert for the operator; readiness is not affected).
   */
  stalledSenders: StalledSender[];
};

export type StalledSender = {
  network: string; livemode: boolean; address: string;
  /** the nonce that holds the sender up (null on Tron, which has none) */
  nonce: string | null;
  txHash: string | null;
  oldestPendingSeconds: number;
  pendingTransactions: number;
};

/** Senders whose oldest signed/broadcast transaction (counted from the first of its replacement chain) is older than their network's threshold. */
export async function stalledSenders(): Promise<StalledSender[]> {
  const res = await db().execute<{ network: string; livemode: boolean; address: string; nonce: string | null; tx_hash: string | null; age: number }>(sql`
    select p.network, p.livemode, p.from_address as address, p.nonce::text as nonce, p.tx_hash,
      extract(epoch from now() - coalesce((select min(r.created_at) from outbound_txs r
        where r.network = p.network and r.livemode = p.livemode and r.from_address = p.from_address and r.nonce = p.nonce), p.created_at))::float8 as age
    from outbound_txs p where p.status in ('signed', 'broadcast')`);
  const bySender = new Map<string, StalledSender>();
  for (const r of res.rows) {
    const key = `${r.network}:${r.livemode}:${r.address}`;
    const s = bySender.get(key);
    const age = Math.round(r.age);
    if (!s) bySender.set(key, { network: r.network, livemode: r.livemode, address: r.address, nonce: r.nonce, txHash: r.tx_hash, oldestPendingSeconds: age, pendingTransactions: 1 });
    else {
      s.pendingTransactions += 1;
      if (age > s.oldestPendingSeconds) Object.assign(s, { nonce: r.nonce, txHash: r.tx_hash, oldestPendingSeconds: age });
    }
  }
  return [...bySender.values()].filter((s) => {
    const chain = chainFor(s.network, s.livemode);
    return s.oldestPendingSeconds > (chain ? stallAlertSeconds(chain) : 900);
  }).sort((a, b) => b.oldestPendingSeconds - a.oldestPendingSeconds);
}

export async function health(): Promise<Health> {
  try {
    const res = await db().execute<{ age: number | null }>(
      sql`select extract(epoch from now() - max(beat_at))::float8 as age from worker_heartbeats`,
    );
    const age = res.rows[0]?.age ?? null;
    const paused = await db().execute<{ network: string; livemode: boolean }>(
      sql`select network, livemode from network_status where payouts_paused_reason is not null order by network, livemode`,
    );
    const stalled = await stalledSenders();
    const workerOk = age !== null && age <= config().workerHeartbeatMaxAgeSeconds;
    return {
      ok: workerOk,
      database: { ok: true },
      worker: { ok: workerOk, lastHeartbeatAgeSeconds: age === null ? null : Math.round(age * 10) / 10 },
      payoutsPaused: paused.rows,
      stalledSenders: stalled,
    };
  } catch {
    return { ok: false, database: { ok: false, error: "database unreachable" }, worker: { ok: false, lastHeartbeatAgeSeconds: null }, payoutsPaused: [], stalledSenders: [] };
  }
}
