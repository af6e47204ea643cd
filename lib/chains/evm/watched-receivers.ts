// The receivers a watcher matches transfers against: every receiver of a family and mode whose
// watch window is open, held in memory as a compact AddressSet shared by the process's watchers
// of that mode. A new receiver is picked up by the next refresh (each watcher tick, ~1 s) without
// a restart: refreshes read rows whose place in receiver_index_seq — the derivation index, or a
// reused address's own seq (lib/receivers/reuse) — is above those already seen, which relies on
// every receiver taking its place from that sequence (DOMAIN.md "Keys"). A periodic rebuild drops
// receivers whose window closed (and would pick up a row inserted with an index of its own).
// Receivers learnt of after the first load are listed with their created_at (added()): a watcher
// that scanned blocks since a receiver's creation before it was loaded rescans them for it.
import { wireAddress } from "@/lib/addresses";
import { config } from "@/lib/config";
import { pool } from "@/lib/db/client";
import { logger } from "@/lib/log/logger";
import { AddressSet } from "./address-set";
import type { LateReceiver } from "./watcher";

/** Tron receivers are stored base58check and held here in their 20-byte hex (JSON-RPC) form. */
type Family = "evm" | "tron";

const PAGE = 50_000;
/**
 * How long a receiver's transaction may run between taking its derivation index (a sequence,
 * not transactional) and committing. An incremental refresh re-reads every index above the
 * highest one seen by a refresh that finished at least this long before the previous refresh
 * began: a row committed since the previous refresh took its index after that, so it is above.
 * (Measured from the previous refresh, not from now: refreshes come with the watcher's ticks, and
 * a tick stalled on a slow node must not turn a short gap into a skipped receiver.)
 */
const COMMIT_WINDOW_MS = 10_000;
/** right after a full load no refresh is that old yet: re-read this many indexes below the top instead */
const STARTUP_MARGIN = 1000n;

export type WatchedReceiversOptions = { rebuildEveryMs?: number; commitWindowMs?: number };

export class WatchedReceivers {
  private set: AddressSet | undefined;
  /** the highest derivation index seen, per refresh (`at`: when its query had finished) */
  private seen: { at: number; maxIndex: bigint }[] = [];
  /** when the last refresh (full or incremental) began: everything committed before is in the set */
  private lastRefreshStart: number | undefined;
  private maxIndex = -1n;
  private inflight: { startedAt: number; done: Promise<void> } | undefined;
  private lastStartedAt = -Infinity;
  private builtAt = 0;
  private rebuilding: Promise<void> | undefined;
  /** adds made while a rebuild runs, replayed into the new set before the swap */
  private addsDuringRebuild: string[] | undefined;
  readonly rebuildEveryMs: number;
  readonly commitWindowMs: number;
  lastLoadMs = 0;
  /** receivers learnt of after the first load; added(cursor) reads from position cursor − addedBase */
  private addedLog: LateReceiver[] = [];
  private addedBase = 0;

  constructor(readonly family: Family, readonly livemode: boolean, opts: WatchedReceiversOptions = {}) {
    this.rebuildEveryMs = opts.rebuildEveryMs ?? 10 * 60_000;
    this.commitWindowMs = opts.commitWindowMs ?? COMMIT_WINDOW_MS;
  }

  /** Receivers added since `cursor` (0: since the first load), and the cursor to pass next time. */
  added(cursor: number): { cursor: number; receivers: LateReceiver[] } {
    const end = this.addedBase + this.addedLog.length;
    const receivers = this.addedLog.slice(Math.max(0, cursor - this.addedBase));
    return { cursor: end, receivers };
  }

  private noteAdded(address: string, createdAt: string): void {
    this.addedLog.push({ address, createdAt: Number(createdAt) });
    // every watcher reads the log each tick: a long tail is never needed
    if (this.addedLog.length > 100_000) {
      const drop = this.addedLog.length - 50_000;
      this.addedLog = this.addedLog.slice(drop);
      this.addedBase += drop;
    }
  }

  get size(): number {
    return this.set?.size ?? 0;
  }

  get bytes(): number {
    return this.set?.bytes ?? 0;
  }

  has(address: string): boolean {
    return this.set?.has(address) ?? false;
  }

  /**
   * Makes sure a refresh that started at or after `notBefore` (ms since epoch) has completed:
   * a watcher reads the chain head first and refreshes afterwards, so every receiver committed
   * before the head was read is in the set when that head's blocks are matched.
   */
  async refreshAfter(notBefore: number): Promise<void> {
    for (;;) {
      if (this.lastStartedAt >= notBefore) return;
      const f = this.inflight;
      if (f) {
        // someone else's refresh: good enough if it began late enough (its failure is theirs to report)
        await f.done.catch(() => {});
        if (f.startedAt >= notBefore && this.lastStartedAt < f.startedAt) throw new Error("refreshing the watched receivers failed");
        continue;
      }
      const startedAt = Date.now();
      const done = (this.set ? this.incremental() : this.fullLoad())
        .then(() => { this.lastStartedAt = Math.max(this.lastStartedAt, startedAt); })
        .finally(() => { this.inflight = undefined; });
      this.inflight = { startedAt, done };
      await done;
      this.maybeRebuild();
      return;
    }
  }

  private async fullLoad(): Promise<void> {
    const started = performance.now();
    const startedAt = Date.now();
    const { set, maxIndex } = await this.loadAll(false);
    this.set = set;
    this.builtAt = Date.now();
    this.note(maxIndex, startedAt, Date.now());
    this.lastLoadMs = Math.round(performance.now() - started);
    logger.info({ family: this.family, livemode: this.livemode, receivers: set.size, ms: this.lastLoadMs, tableBytes: set.bytes }, "watched receivers loaded");
  }

  /** `noteNew`: list the rows the current set lacks as added (a rebuild) */
  private async loadAll(noteNew: boolean): Promise<{ set: AddressSet; maxIndex: bigint }> {
    const [{ n }] = (await pool().query<{ n: string }>(
      "select count(*) as n from receivers where family = $1 and livemode = $2 and (watch_until is null or watch_until > now())",
      [this.family, this.livemode],
    )).rows;
    const set = new AddressSet(Number(n) + 1024);
    let after = -1n;
    for (;;) {
      const rows = await this.page(after, PAGE);
      for (const [address, , createdAt] of rows) {
        const a = wireAddress(address);
        set.add(a);
        if (noteNew && this.set && !this.set.has(a)) this.noteAdded(a, createdAt);
      }
      if (rows.length === 0) break;
      after = BigInt(rows[rows.length - 1][1]);
      if (rows.length < PAGE) break;
    }
    return { set, maxIndex: after };
  }

  /** [address, coalesce(seq, derivation_index), created_at in ms since epoch] */
  private async page(after: bigint, limit: number): Promise<[string, string, string][]> {
    // keyset pagination over the (family, coalesce(seq, derivation_index)) unique index: a reused
    // address's new row (lib/receivers/reuse) has a seq of its own, above every row seen before it
    const res = await pool().query<[string, string, string]>({
      text: "select address, coalesce(seq, derivation_index), (extract(epoch from created_at) * 1000)::bigint::text from receivers " +
        "where family = $1 and coalesce(seq, derivation_index) > $2 and livemode = $3 and (watch_until is null or watch_until > now()) " +
        "order by coalesce(seq, derivation_index) limit $4",
      values: [this.family, after.toString(), this.livemode, limit],
      rowMode: "array",
    });
    return res.rows;
  }

  private async incremental(): Promise<void> {
    const at = Date.now();
    const since = this.lastRefreshStart ?? at;
    const old = this.seen.filter((s) => s.at <= since - this.commitWindowMs).at(-1);
    let after = old ? old.maxIndex : this.maxIndex - STARTUP_MARGIN;
    let top = this.maxIndex;
    for (;;) {
      const rows = await this.page(after, PAGE);
      for (const [address, index, createdAt] of rows) {
        const a = wireAddress(address);
        if (!this.set!.has(a)) this.noteAdded(a, createdAt);
        this.set!.add(a);
        this.addsDuringRebuild?.push(a);
        const i = BigInt(index);
        if (i > top) top = i;
      }
      if (rows.length < PAGE) break;
      after = BigInt(rows[rows.length - 1][1]);
    }
    this.note(top, at, Date.now());
  }

  /** A refresh that began at `startedAt` and whose query had finished at `finishedAt` saw indexes up to `maxIndex`. */
  private note(maxIndex: bigint, startedAt: number, finishedAt: number): void {
    if (maxIndex > this.maxIndex) this.maxIndex = maxIndex;
    this.seen.push({ at: finishedAt, maxIndex: this.maxIndex });
    this.lastRefreshStart = startedAt;
    // the next refresh looks for the newest entry older than the window before this one began: keep it, and everything younger
    let cut = -1;
    for (let i = 0; i < this.seen.length; i++) if (this.seen[i].at <= startedAt - this.commitWindowMs) cut = i;
    if (cut > 0) this.seen = this.seen.slice(cut);
  }

  /** Rebuilds in the background (dropping closed windows) and swaps the set in when done. */
  private maybeRebuild(): void {
    if (this.rebuilding || Date.now() - this.builtAt < this.rebuildEveryMs) return;
    this.addsDuringRebuild = [];
    this.rebuilding = this.loadAll(true).then(({ set }) => {
      for (const a of this.addsDuringRebuild ?? []) set.add(a);
      this.set = set;
      this.builtAt = Date.now();
    }).catch((err) => {
      logger.warn({ family: this.family, livemode: this.livemode, err: err instanceof Error ? err.message : String(err) }, "receiver set rebuild failed");
      this.builtAt = Date.now();
    }).finally(() => {
      this.addsDuringRebuild = undefined;
      this.rebuilding = undefined;
    });
  }
}

const registries = new Map<string, WatchedReceivers>();

/** The process-wide set for a family and mode (shared by that mode's watchers). */
export function watchedReceivers(family: Family, livemode: boolean): WatchedReceivers {
  const key = `${family}:${livemode}`;
  let r = registries.get(key);
  if (!r) {
    r = new WatchedReceivers(family, livemode, { rebuildEveryMs: config().receiversRebuildMs });
    registries.set(key, r);
  }
  return r;
}
