// Per-network sync state from the heads the worker records (network_status).
import { networkStatus } from "@/db/schema";
import { config, type ChainConfig } from "@/lib/config";
import { db } from "@/lib/db/client";

export type NetworkSync = { is_synced: boolean; last_block_gen_utime: number | null; lag_seconds: number | null };
export type SyncReport = { is_synced: boolean; last_block_gen_utime: number | null; networks: Record<string, NetworkSync & { payouts_paused: boolean }> };

/**
 * A network is synced while the newest block the worker has processed is younger than the
 * network's allowed lag *and* the worker checked it within that time — a stalled chain and a
 * stalled worker both read as not synced, and so does a network the watcher paused (a deep reorg).
 */
export function networkSync(chain: ChainConfig, row: { headTime: Date; checkedAt: Date; watchPausedReason?: string | null } | undefined, now = Date.now()): NetworkSync {
  if (!row) return { is_synced: false, last_block_gen_utime: null, lag_seconds: null };
  // a network paused by a reorg deeper than the confirmation depth is not synced, however fresh its head
  const lag = Math.max(0, Math.floor((now - row.headTime.getTime()) / 1000));
  const checkedAge = (now - row.checkedAt.getTime()) / 1000;
  return {
    is_synced: lag <= chain.maxLagSeconds && checkedAge <= chain.maxLagSeconds && !row.watchPausedReason,
    last_block_gen_utime: Math.floor(row.headTime.getTime() / 1000),
    lag_seconds: lag,
  };
}

export async function syncReport(livemode: boolean): Promise<SyncReport> {
  const chains = config().networks.filter((c) => c.enabled && c.livemode === livemode);
  const rows = await db().select().from(networkStatus);
  const networks: SyncReport["networks"] = {};
  for (const chain of chains) {
    const row = rows.find((r) => r.network === chain.network && r.livemode === livemode);
    // payouts_paused: the solvency check found holdings below what merchants are owed (lib/ledger/solvency)
    networks[chain.network] = { ...networkSync(chain, row), payouts_paused: row?.payoutsPausedReason != null };
  }
  const all = Object.values(networks);
  const times = all.map((n) => n.last_block_gen_utime);
  return {
    is_synced: all.length > 0 && all.every((n) => n.is_synced),
    // the most lagging network's head: how far behind the processor is as a whole
    last_block_gen_utime: times.length && times.every((t) => t !== null) ? Math.min(...(times as number[])) : null,
    networks,
  };
}

export async function isNetworkSynced(network: string, livemode: boolean): Promise<boolean> {
  return (await syncReport(livemode)).networks[network]?.is_synced ?? false;
}
