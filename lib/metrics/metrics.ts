// GET /metrics: what an operator alerts on, per network and for webhooks, read from PostgreSQL
// (the worker's state is all there, so any web process answers for every worker).
import { sql } from "drizzle-orm";
import { enabledChains } from "@/lib/config";
import { db } from "@/lib/db/client";
import { render, type Family, type Labels } from "./prometheus";

type Row = Record<string, unknown>;
const n = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const mode = (livemode: unknown) => (livemode ? "live" : "test");

export async function metricsText(): Promise<string> {
  const q = async (s: ReturnType<typeof sql>) => (await db().execute<Row>(s)).rows;
  const [status, deps, outbound, hooks, hookAge, heartbeat, leases, energy] = await Promise.all([
    q(sql`select network, livemode, head_number::text as checkpoint, extract(epoch from now() - head_time)::float8 as lag,
      extract(epoch from now() - checked_at)::float8 as checked_age, payouts_paused_reason is not null as paused,
      last_error is not null as erroring from network_status`),
    q(sql`select network, livemode, status, count(*)::int as n from deposits group by 1, 2, 3`),
    q(sql`select network, livemode, count(*)::int as n, extract(epoch from now() - min(created_at))::float8 as oldest
      from outbound_txs where status in ('signed', 'broadcast') group by 1, 2`),
    q(sql`select status, count(*)::int as n from webhook_deliveries group by 1`),
    q(sql`select extract(epoch from now() - min(created_at))::float8 as oldest,
      count(*) filter (where attempt_count > 0)::int as retrying from webhook_deliveries where status = 'pending'`),
    q(sql`select extract(epoch from now() - max(beat_at))::float8 as age from worker_heartbeats`),
    q(sql`select name, epoch::text as epoch, extract(epoch from now() - last_pass_at)::float8 as pass_age from worker_leases`),
    // Tron Stake 2.0 (lib/chains/tron/energy): staked TRX whose energy is lent to receivers now, and what transactions used and burned
    q(sql`select network, livemode,
      coalesce(sum(case when purpose = 'energy_delegation' and status = 'confirmed' then amount
        when purpose = 'energy_reclaim' and status in ('signed', 'broadcast', 'confirmed') then -amount else 0 end), 0)::text as lent,
      coalesce(sum(energy_used), 0)::text as energy_used, coalesce(sum(energy_fee), 0)::text as energy_fee
      from outbound_txs where energy_used is not null or purpose in ('energy_delegation', 'energy_reclaim') group by 1, 2`),
  ]);

  // every enabled network appears, with zeros where nothing happened yet
  const nets = new Map<string, Labels>();
  const label = (network: unknown, livemode: unknown): Labels => {
    const l = { network: String(network), mode: mode(livemode) };
    nets.set(`${l.network}:${l.mode}`, l);
    return l;
  };
  for (const c of enabledChains()) label(c.network, c.livemode);
  for (const r of [...status, ...deps, ...outbound, ...energy]) label(r.network, r.livemode);
  const byNet = <T>(rows: Row[], f: (r: Row) => T) => new Map(rows.map((r) => [`${r.network}:${mode(r.livemode)}`, f(r)]));
  const st = byNet(status, (r) => r);
  const out = byNet(outbound, (r) => r);
  const en = byNet(energy, (r) => r);
  const perNet = (name: string, help: string, value: (key: string) => number | undefined): Family => ({
    name, help, type: "gauge",
    samples: [...nets].flatMap(([k, labels]) => {
      const v = value(k);
      return v === undefined ? [] : [{ labels, value: v }];
    }),
  });

  const depositStatuses = ["seen", "confirmed", "reverted"];
  const depositCount = new Map(deps.map((r) => [`${r.network}:${mode(r.livemode)}:${r.status}`, n(r.n)]));
  const deliveries = new Map(hooks.map((r) => [String(r.status), n(r.n)]));

  return render([
    perNet("tollgate_network_checkpoint_block", "Last block the watcher processed (network_status.head_number)", (k) => (st.has(k) ? n(st.get(k)!.checkpoint) : undefined)),
    perNet("tollgate_network_head_lag_seconds", "Age of the last processed block's timestamp: how far the watcher is behind the chain", (k) => (st.has(k) ? n(st.get(k)!.lag) : undefined)),
    perNet("tollgate_network_checked_age_seconds", "Seconds since the watcher last read the chain head", (k) => (st.has(k) ? n(st.get(k)!.checked_age) : undefined)),
    perNet("tollgate_network_watch_error", "1 while the watcher's last pass failed", (k) => (st.has(k) ? (st.get(k)!.erroring ? 1 : 0) : undefined)),
    perNet("tollgate_network_payouts_paused", "1 while the solvency check pauses payouts (network_status.payouts_paused_reason)", (k) => (st.get(k)?.paused ? 1 : 0)),
    {
      name: "tollgate_deposits", help: "Deposits recorded, by status", type: "gauge",
      samples: [...nets].flatMap(([k, labels]) => depositStatuses.map((s) => ({ labels: { ...labels, status: s }, value: depositCount.get(`${k}:${s}`) ?? 0 }))),
    },
    perNet("tollgate_outbound_pending", "Outbound transactions signed or broadcast and not yet confirmed or failed", (k) => n(out.get(k)?.n)),
    perNet("tollgate_outbound_oldest_pending_age_seconds", "Age of the oldest pending outbound transaction (0 when none)", (k) => n(out.get(k)?.oldest)),
    perNet("tollgate_energy_lent_sun", "Tron: staked TRX (sun) whose energy the hot wallet has lent to receivers and not yet reclaimed", (k) => (en.has(k) ? n(en.get(k)!.lent) : undefined)),
    perNet("tollgate_outbound_energy_used", "Tron: energy our confirmed or failed transactions used (staked, lent or burned for)", (k) => (en.has(k) ? n(en.get(k)!.energy_used) : undefined)),
    perNet("tollgate_outbound_energy_burned_sun", "Tron: TRX (sun) our transactions burned for energy", (k) => (en.has(k) ? n(en.get(k)!.energy_fee) : undefined)),
    {
      name: "tollgate_webhook_deliveries", help: "Webhook deliveries by status (pending = backlog, failed = gave up)", type: "gauge",
      samples: ["pending", "succeeded", "failed"].map((s) => ({ labels: { status: s }, value: deliveries.get(s) ?? 0 })),
    },
    { name: "tollgate_webhook_backlog_oldest_age_seconds", help: "Age of the oldest pending webhook delivery (0 when none)", type: "gauge", samples: [{ value: n(hookAge[0]?.oldest) }] },
    { name: "tollgate_webhook_retrying", help: "Pending webhook deliveries whose earlier attempts failed", type: "gauge", samples: [{ value: n(hookAge[0]?.retrying) }] },
    {
      name: "tollgate_worker_heartbeat_age_seconds", help: "Seconds since the freshest worker heartbeat (-1 when no worker ever beat)", type: "gauge",
      samples: [{ value: heartbeat[0]?.age === null || heartbeat[0]?.age === undefined ? -1 : n(heartbeat[0].age) }],
    },
    {
      name: "tollgate_lease_epoch", help: "Fencing epoch of each worker lease (increments on every take-over)", type: "gauge",
      samples: leases.map((r) => ({ labels: { lease: String(r.name) }, value: n(r.epoch) })),
    },
    {
      name: "tollgate_lease_last_pass_age_seconds", help: "Seconds since a holder of the lease last finished a pass", type: "gauge",
      samples: leases.filter((r) => r.pass_age !== null).map((r) => ({ labels: { lease: String(r.name) }, value: n(r.pass_age) })),
    },
  ]);
}
