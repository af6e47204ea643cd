// The receivers a watcher matches transfers against: every receiver of a family and mode whose
// watch window is open, held in memory as a compact AddressSet shared by the process's watchers
// of that mode. A new receiver is picked up by the next refresh (each watcher tick, ~1 s) without
// a restart: refreshes read derivation indexes above those already seen, which relies on every
// receiver taking its index from receiver_index_seq (DOMAIN.md "Keys"). A periodic rebuild drops
// receivers whose window closed (and would pick up a row inserted with an index of its own).
import { wireAddress } from "@/lib/addresses";
import { pool } from "@/lib/db/client";
import { logger } from "@/lib/log/logger";
import { AddressSet } from "./address-set";

/** Tron receivers are stored base58check and held here in their 20-byte hex (JSON-RPC) form. */
type Family = "evm" | "tron";

const PAGE = 50_000;
/**
 * How long a receiver's transaction may run between taking its derivation index (a sequence,
 * not transactional) and committing. An incremental refresh re-reads indexes above the highest
 * one seen at least this long ago, so a slow commit under a lower index is never skipped.
 */
const COMMIT_WINDOW_MS = 10_000;
/** right after a full load no refresh is that old yet: re-read this many indexes below the top instead */
const STARTUP_MARGIN = 1000n;

export type WatchedReceiversOptions = { rebuildEveryMs?: number };

export class WatchedReceivers {
  private set: AddressSet | undefined;
  /** the highest derivation index seen, per refresh (time of the refresh's query) */
  private seen: { at: number; maxIndex: bigint }[] = [];
  private maxIndex = -1n;
  private inflight: { startedAt: number; done: Promise<void> } | undefined;
  private lastStartedAt = -Infinity;
  private builtAt = 0;
  private rebuilding: Promise<void> | undefined;
  /** adds made while a rebuild runs, replayed into the new set before the swap */
  private addsDuringRebuild: string[] | undefined;
  readonly rebuildEveryMs: number;
  lastLoadMs = 0;

  constructor(readonly family: Family, readonly livemode: boolean, opts: WatchedReceiversOptions = {}) {
    this.rebuildEveryMs = opts.rebuildEveryMs ?? 10 * 60_000;
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
    const { set, maxIndex } = await this.loadAll();
    this.set = set;
    this.builtAt = Date.now();
    this.note(maxIndex, Date.now());
    this.lastLoadMs = Math.round(performance.now() - started);
    logger.info({ family: this.family, livemode: this.livemode, receivers: set.size, ms: this.lastLoadMs, tableBytes: set.bytes }, "watched receivers loaded");
  }

  private async loadAll(): Promise<{ set: AddressSet; maxIndex: bigint }> {
    const [{ n }] = (await pool().query<{ n: string }>(
      "select count(*) as n from receivers where family = $1 and livemode = $2 and (watch_until is null or watch_until > now())",
      [this.family, this.livemode],
    )).rows;
    const set = new AddressSet(Number(n) + 1024);
    let after = -1n;
    for (;;) {
      const rows = await this.page(after, PAGE);
      for (const [address] of rows) set.add(wireAddress(address));
      if (rows.length === 0) break;
      after = BigInt(rows[rows.length - 1][1]);
      if (rows.length < PAGE) break;
    }
    return { set, maxIndex: after };
  }

  private async page(after: bigint, limit: number): Promise<[string, string][]> {
    // keyset pagination over the (family, derivation_index) unique index
    const res = await pool().query<[string, string]>({
      text: "select address, derivation_index from receivers " +
        "where family = $1 and derivation_index > $2 and livemode = $3 and (watch_until is null or watch_until > now()) " +
        "order by derivation_index limit $4",
      values: [this.family, after.toString(), this.livemode, limit],
      rowMode: "array",
    });
    return res.rows;
  }

  private async incremental(): Promise<void> {
    const at = Date.now();
    const old = this.seen.filter((s) => s.at <= at - COMMIT_WINDOW_MS).at(-1);
    let after = old ? old.maxIndex : this.maxIndex - STARTUP_MARGIN;
    let top = this.maxIndex;
    for (;;) {
      const rows = await this.page(after, PAGE);
      for (const [address, index] of rows) {
        const a = wireAddress(address);
        this.set!.add(a);
        this.addsDuringRebuild?.push(a);
        const i = BigInt(index);
        if (i > top) top = i;
      }
      if (rows.length < PAGE) break;
      after = BigInt(rows[rows.length - 1][1]);
    }
    this.note(top, at);
  }

  private note(maxIndex: bigint, at: number): void {
    if (maxIndex > this.maxIndex) this.maxIndex = maxIndex;
    this.seen.push({ at, maxIndex: this.maxIndex });
    // keep the newest entry older than the window, and everything younger
    let cut = -1;
    for (let i = 0; i < this.seen.length; i++) if (this.seen[i].at <= at - COMMIT_WINDOW_MS) cut = i;
    if (cut > 0) this.seen = this.seen.slice(cut);
  }

  /** Rebuilds in the background (dropping closed windows) and swaps the set in when done. */
  private maybeRebuild(): void {
    if (this.rebuilding || Date.now() - this.builtAt < this.rebuildEveryMs) return;
    this.addsDuringRebuild = [];
    this.rebuilding = this.loadAll().then(({ set }) => {
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
    r = new WatchedReceivers(family, livemode);
    registries.set(key, r);
  }
  return r;
}
