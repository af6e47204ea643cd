// The EVM chain watcher (DOMAIN.md "Chain watching"), one per enabled EVM-like network (EVM chains
// and Tron, whose full nodes serve the same Ethereum-style JSON-RPC), run by the
// worker that holds the network's lease. Per block range:
//   eth_getLogs(Transfer, every configured token contract)   one call per range, whatever the number of receivers
//   eth_getBlockByNumber(n, with transactions)               native coin, and the hash chain (batched)
// Within the confirmation depth of the head, logs are fetched by block hash instead (EIP-234: a node
// that lacks the block errs instead of answering []). Nothing doubtful moves the checkpoint: a
// block whose logsBloom shows a watched token's Transfer while the logs answer has none for it is
// asked again by hash, then read from its receipts, and the range is retried while the node cannot
// say; a head older than one already seen, or an answer for another chain id, is not acted on; a
// reorg deeper than the blocks kept pauses the network until an operator resumes it. A receiver
// loaded after the watcher scanned blocks that came after its creation gets them rescanned.
// Logs and transactions are matched in memory against the watched receivers. A range's deposits,
// its unfinalized block hashes and the checkpoint are written in one transaction (WatchStore), so
// a restart resumes right after the last committed block: no gap, no double credit.
// Addresses are 0x lower-case hex throughout (Tron's JSON-RPC form too); Tron's base58check form
// exists only at the edges (receivers loaded from and deposits written to the database).
import type { ChainConfig } from "@/lib/config";
import type { Credit } from "@/lib/deposits/credit";
import { chainAssets, type CreditAsset } from "@/lib/deposits/assets";
import { evmAddressAt, HOT_WALLET_INDEX } from "@/lib/keys/derive";
import type { NetworkFamily } from "@/lib/config/networks";
import { xpubOf } from "@/lib/keys/roots";
import { logger, type Logger } from "@/lib/log/logger";
import { tokensInBloom } from "./bloom";
import { InconsistentChainError, RpcChainReader, type ChainBlock, type ChainReader, type Head, type Hex, type TransferLog } from "./chain-reader";
import { findCommonAncestor, linksTo, nextStep, type Checkpoint } from "./reorg";
import { EvmRpc } from "./rpc";
import { DbWatchStore, type WatchState, type WatchStore } from "./watch-store";
import { watchedReceivers } from "./watched-receivers";

/** A receiver the matcher learnt of after its first load, with its row's created_at (ms since epoch). */
export type LateReceiver = { address: string; createdAt: number };

/**
 * The watched addresses (lower case); refreshAfter(t) completes a refresh begun at or after t;
 * added(cursor) lists the receivers learnt of since `cursor` (0: since the first load).
 */
export type ReceiverMatcher = {
  has(address: string): boolean;
  refreshAfter(notBefore: number): Promise<void>;
  added?(cursor: number): { cursor: number; receivers: LateReceiver[] };
};

/** blocks this many seconds older than a receiver's created_at are rescanned for it too (block timestamps are whole seconds, clocks skew) */
const LATE_RECEIVER_MARGIN_S = 2;
/** how long the ranges scanned are remembered, for rescans (well above the receiver set's rebuild period) */
const SCANNED_MEMORY_MS = 60 * 60_000;
/** a head older than one already seen is doubted for this long; a chain that stays shorter is then believed */
const STALE_HEAD_PATIENCE_MS = 5 * 60_000;

export type WatcherOptions = {
  reader?: ChainReader;
  store?: WatchStore;
  receivers?: ReceiverMatcher;
  /** senders whose native transfers are ours, not payments (default: the hot wallet, which funds gas) */
  ignoredSenders?: () => Promise<ReadonlySet<string>>;
  /** scan blocks' transactions for native-coin transfers (default true) */
  native?: boolean;
  /** largest eth_getLogs range, in blocks (default 1000) */
  maxRange?: number;
  /** a tick takes no new range after this long, so the worker gets to check its lease */
  tickBudgetMs?: number;
};

export type TickResult = {
  blocks: number; credits: number; reorgs: number; caughtUp: boolean; head: number; checkpoint: number;
  /** credits found by rescanning for receivers loaded late */
  rescued: number;
  /** the network is paused (a reorg deeper than the confirmation depth): nothing was processed */
  paused?: boolean;
  /** the node's head was older than one already seen: nothing was processed */
  staleHead?: boolean;
};

/** The network is paused after a reorg deeper than the blocks kept: an operator must resume it (README). */
export class DeepReorgError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DeepReorgError";
  }
}

/** Families whose nodes speak the Ethereum JSON-RPC this watcher reads. */
export type EvmLikeFamily = "evm" | "tron";

export function isEvmLike(family: NetworkFamily): family is EvmLikeFamily {
  return family === "evm" || family === "tron";
}

/** The family's hot wallet (index 0), in 0x lower-case hex; its native transfers fund gas, they are not payments. */
export async function hotWalletWire(family: EvmLikeFamily): Promise<string | null> {
  const xpub = await xpubOf(family);
  return xpub ? evmAddressAt(xpub, HOT_WALLET_INDEX).toLowerCase() : null;
}

async function hotWallet(family: EvmLikeFamily): Promise<ReadonlySet<string>> {
  const w = await hotWalletWire(family);
  return new Set(w ? [w] : []);
}

export class EvmWatcher {
  readonly reader: ChainReader;
  readonly store: WatchStore;
  readonly receivers: ReceiverMatcher;
  readonly native: boolean;
  readonly maxRange: number;
  /** blocks kept behind the checkpoint: the confirmation window and the block below it */
  readonly keep: number;
  private range: number;
  private goodRanges = 0;
  private warnedBehindAt = 0;
  private state: WatchState | undefined;
  /** no checkpoint row yet: the first commit inserts it */
  private fresh = false;
  private ignored: ReadonlySet<string> | undefined;
  private readonly loadIgnored: () => Promise<ReadonlySet<string>>;
  private readonly tokens: Map<string, CreditAsset>;
  private readonly nativeAsset: CreditAsset | null;
  private readonly tickBudgetMs: number;
  private readonly log: Logger;
  /** the highest head seen, and since when the node has been answering older ones */
  private highestHead: Head | undefined;
  private staleSince = 0;
  private warnedStaleAt = 0;
  /** the chain id the node reported first (networks without a configured one: Tron) */
  private seenChainId: number | undefined;
  /** ranges committed (when, and their blocks' timestamps): a receiver loaded late is rescanned from the first block after its creation */
  private scanned: { at: number; from: number; times: number[] }[] = [];
  private addedCursor = 0;
  private lateQueue: LateReceiver[] = [];
  /** an operator resumed the network after a deep reorg: the next walk-back may go below the kept blocks */
  private acceptDeepReorg = false;

  constructor(readonly chain: ChainConfig, opts: WatcherOptions = {}) {
    const family = chain.family;
    if (!isEvmLike(family)) throw new Error(`${chain.key} is not an EVM-like network`);
    this.reader = opts.reader ?? new RpcChainReader(new EvmRpc(chain.rpcUrls));
    this.store = opts.store ?? new DbWatchStore(chain);
    this.receivers = opts.receivers ?? watchedReceivers(family, chain.livemode);
    this.loadIgnored = opts.ignoredSenders ?? (() => hotWallet(family));
    this.native = opts.native ?? true;
    this.maxRange = opts.maxRange ?? 1000;
    this.range = this.maxRange;
    this.tickBudgetMs = opts.tickBudgetMs ?? 10_000;
    const assets = chainAssets(chain);
    this.tokens = assets.tokens;
    this.nativeAsset = assets.native;
    this.keep = Math.max(chain.confirmations, 1) + 1;
    this.log = logger.child({ network: chain.key });
  }

  /** Forget the in-memory position (lease changes, errors): the next tick reloads it from the store. */
  reset(): void {
    this.state = undefined;
  }

  get checkpoint(): Checkpoint | null {
    return this.state?.checkpoint ?? null;
  }

  get currentRange(): number {
    return this.range;
  }

  /** Reads the head, refreshes the receivers, then processes ranges until caught up or out of budget. */
  async tick(): Promise<TickResult> {
    const deadline = Date.now() + this.tickBudgetMs;
    const out: TickResult = { blocks: 0, credits: 0, reorgs: 0, caughtUp: false, head: 0, checkpoint: 0, rescued: 0 };
    try {
      const head = await this.reader.head();
      this.checkChainId(head);
      // head first, receivers second: every receiver committed before this head was read is
      // matched against all of its blocks (a payment cannot precede its receiver's creation)
      await this.receivers.refreshAfter(Date.now());
      const state = await this.loadState(head);
      out.head = head.number;
      if (state.paused && !(await this.stillPaused(state))) state.paused = null;
      if (state.paused) {
        this.reset(); // the next tick reads the pause again (an operator may resume it)
        out.paused = true;
        out.checkpoint = state.checkpoint!.number;
        return out;
      }
      if (this.staleHead(head)) {
        out.staleHead = true;
        out.checkpoint = state.checkpoint!.number;
        out.caughtUp = true;
        return out;
      }
      out.rescued = await this.rescanLateReceivers();
      out.credits += out.rescued;
      for (;;) {
        const cp = state.checkpoint!;
        out.checkpoint = cp.number;
        const step = nextStep(cp, head, state.blocks, this.range);
        if (step.kind === "idle") {
          if (step.why === "node-behind" && cp.number - head.number > this.keep && Date.now() - this.warnedBehindAt > 60_000) {
            this.warnedBehindAt = Date.now();
            this.log.warn({ head: head.number, checkpoint: cp.number }, "the RPC node's head is far behind our checkpoint: a lagging node, or a chain that was reset");
          }
          if (out.blocks === 0 && out.reorgs === 0) await this.store.touch();
          out.caughtUp = true;
          return out;
        }
        // a chain that keeps reorganizing under us: let the loop back off and start over
        if (out.reorgs >= 10) throw new InconsistentChainError(`${out.reorgs} reorgs in one tick`);
        if (step.kind === "reorg") {
          await this.reorg(step.from);
          out.reorgs++;
          continue;
        }
        const r = await this.advance(step.from, step.to, head);
        if (r === "shrunk") continue;
        if (r === "reorg") {
          await this.reorg(cp.number);
          out.reorgs++;
          continue;
        }
        out.blocks += r.blocks;
        out.credits += r.credits;
        out.checkpoint = state.checkpoint!.number;
        if (out.checkpoint >= head.number) {
          out.caughtUp = true;
          return out;
        }
        if (Date.now() > deadline) return out;
      }
    } catch (err) {
      this.reset(); // whatever happened, trust only the store next time
      throw err;
    }
  }

  /** An answer for another chain than ours (a misrouted load balancer) is never data. */
  private checkChainId(head: Head): void {
    if (head.chainId === undefined) return;
    const expected = this.chain.chainId ?? this.seenChainId;
    if (expected === undefined || expected === null) {
      this.seenChainId = head.chainId;
      return;
    }
    if (head.chainId !== expected) throw new InconsistentChainError(`the RPC node answered for chain id ${head.chainId}, ${this.chain.key} is chain id ${expected}`);
  }

  /**
   * A head older than the highest one seen is a node behind the others (behind a load balancer):
   * its answers about the blocks near its head are doubtful, so this tick does nothing. A chain
   * that stays shorter for STALE_HEAD_PATIENCE_MS (a devnet reset) is believed then.
   */
  private staleHead(head: Head): boolean {
    const top = this.highestHead;
    if (!top || head.number >= top.number) {
      this.highestHead = head;
      this.staleSince = 0;
      return false;
    }
    const now = Date.now();
    this.staleSince ||= now;
    if (now - this.staleSince > STALE_HEAD_PATIENCE_MS) {
      this.log.error({ head: head.number, highest: top.number }, "the chain has stayed shorter than the highest head seen: believing it");
      this.highestHead = head;
      this.staleSince = 0;
      return false;
    }
    if (now - this.warnedStaleAt > 60_000) {
      this.warnedStaleAt = now;
      this.log.warn({ head: head.number, highest: top.number }, "the RPC node answered a head older than one already seen: waiting for a node that is caught up");
    }
    return true;
  }

  private async loadState(head: Head): Promise<WatchState> {
    if (this.state) return this.state;
    const state = await this.store.load();
    this.fresh = state.checkpoint === null;
    if (!state.checkpoint) {
      // a network never watched before: start at the current head, not at genesis
      state.checkpoint = { number: head.number - 1, hash: head.parentHash, timestamp: head.timestamp };
      this.log.info({ block: head.number }, "no checkpoint yet: watching from the current head");
    }
    this.ignored ??= await this.loadIgnored();
    this.state = state;
    return state;
  }

  private async advance(from: number, to: number, head: Head): Promise<"reorg" | "shrunk" | { blocks: number; credits: number }> {
    const state = this.state!;
    const cp = state.checkpoint!;
    const tokens = [...this.tokens.keys()] as Hex[];
    const numbers = Array.from({ length: to - from + 1 }, (_, i) => from + i);
    // blocks within the confirmation depth of the head: their logs are asked for by block hash
    const byRangeTo = Math.min(to, head.number - Math.max(this.chain.confirmations, 1));
    const [ranged, fetched] = await Promise.all([
      byRangeTo >= from
        ? this.reader.transferLogs(from, byRangeTo, tokens).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))))
        : Promise.resolve([] as TransferLog[]),
      this.reader.blocks(numbers, this.native),
    ]);
    let logs = ranged;
    if (logs instanceof Error) {
      // providers cap eth_getLogs by block range or result size (an error answer, or a timeout):
      // halve the range and retry; it grows back after a few good ranges
      if (!(logs instanceof InconsistentChainError) && byRangeTo > from) {
        this.range = Math.max(1, Math.floor((byRangeTo - from + 1) / 2));
        this.goodRanges = 0;
        this.log.warn({ from, to, range: this.range, err: logs.message }, "eth_getLogs failed: shrinking the range");
        return "shrunk";
      }
      throw logs;
    }
    if (fetched.some((b) => b === null)) throw new InconsistentChainError(`blocks in [${from}, ${to}] are missing (did the head move back?)`);
    const blocks = fetched as ChainBlock[];
    const link = linksTo(cp, blocks);
    if (link === "reorg") return "reorg";
    if (link === "inconsistent") throw new InconsistentChainError(`blocks [${from}, ${to}] do not link up (the chain changed while they were fetched)`);
    const near = blocks.filter((b) => b.number > byRangeTo);
    if (near.length) logs = [...logs, ...(await this.reader.transferLogsByHash(near.map((b) => b.hash), tokens)).flat()];
    this.checkLogs(logs, blocks, from);
    logs = await this.settleBloomDoubts(logs, blocks, byRangeTo);

    const credits = await this.credits(logs, blocks);
    const last = blocks[blocks.length - 1];
    const next: Checkpoint = { number: last.number, hash: last.hash, timestamp: last.timestamp };
    const keepFrom = last.number - this.keep + 1;
    const headers = blocks.map((b) => ({ number: b.number, hash: b.hash, parentHash: b.parentHash, timestamp: b.timestamp }));
    await this.store.commitRange({ expected: this.fresh ? null : cp, next, from, to, blocks: headers, keepFrom, credits });
    this.fresh = false;
    state.checkpoint = next;
    this.remember(from, blocks.map((b) => b.timestamp));
    for (const b of headers) if (b.number >= keepFrom) state.blocks.set(b.number, b);
    for (const n of [...state.blocks.keys()]) if (n < keepFrom) state.blocks.delete(n);
    if (++this.goodRanges >= 3 && this.range < this.maxRange) {
      this.range = Math.min(this.maxRange, this.range * 2);
      this.goodRanges = 0;
    }
    if (credits.length) this.log.info({ from, to, credits: credits.length }, "credits recorded");
    return { blocks: blocks.length, credits: credits.length };
  }

  /**
   * Blocks whose logsBloom shows a Transfer of a watched token the logs answer lacks: asked
   * again by hash (unless they just were), then read from their receipts, which settle it either
   * way (a bloom has false positives). A node that cannot say is an inconsistency: the range is
   * retried, the checkpoint stays.
   */
  private async settleBloomDoubts(logs: TransferLog[], blocks: readonly ChainBlock[], byRangeTo: number): Promise<TransferLog[]> {
    const tokens = [...this.tokens.keys()] as Hex[];
    const has = new Set(logs.map((l) => `${l.blockNumber}:${l.token}`));
    const lacking = (b: ChainBlock, found: ReadonlySet<string>) => tokensInBloom(b.logsBloom, tokens).filter((t) => !found.has(`${b.number}:${t}`));
    const doubted = blocks.filter((b) => lacking(b, has).length > 0);
    if (doubted.length === 0) return logs;
    const replace = (b: ChainBlock, found: readonly TransferLog[]) => {
      logs = [...logs.filter((l) => l.blockNumber !== b.number), ...found];
    };
    const again = doubted.filter((b) => b.number <= byRangeTo);
    const answers = again.length ? await this.reader.transferLogsByHash(again.map((b) => b.hash), tokens) : [];
    for (const b of doubted) {
      const i = again.indexOf(b);
      const byHash = i >= 0 ? answers[i] : null;
      if (byHash && lacking(b, new Set(byHash.map((l) => `${l.blockNumber}:${l.token}`))).length === 0) {
        this.log.warn({ block: b.number, logs: byHash.length }, "eth_getLogs left out logs that the block's bloom shows: took them from the answer by block hash");
        replace(b, byHash);
        continue;
      }
      const fromReceipts = await this.reader.receiptTransferLogs(b.hash, tokens);
      if (!fromReceipts) {
        throw new InconsistentChainError(`block ${b.number} ${b.hash}: its logsBloom shows a Transfer of ${lacking(b, has).join(", ")} that eth_getLogs did not return, and the node has no receipts for it`);
      }
      if (fromReceipts.length) this.log.warn({ block: b.number, logs: fromReceipts.length }, "eth_getLogs left out logs that the block's bloom shows: took them from its receipts");
      replace(b, fromReceipts);
    }
    this.checkLogs(logs, blocks, blocks[0].number);
    return logs.sort((a, b) => a.blockNumber - b.blockNumber || a.logIndex - b.logIndex);
  }

  private remember(from: number, times: number[]): void {
    const now = Date.now();
    this.scanned.push({ at: now, from, times });
    while (this.scanned.length > 1 && this.scanned[0].at < now - SCANNED_MEMORY_MS) this.scanned.shift();
  }

  /**
   * Receivers the matcher learnt of late (a slow commit, a periodic rebuild): the ranges this
   * watcher committed since their creation are rescanned for Transfers to them, and what is found
   * is recorded as the watcher would have (confirmed if already deep enough).
   */
  private async rescanLateReceivers(): Promise<number> {
    if (this.receivers.added) {
      const { cursor, receivers } = this.receivers.added(this.addedCursor);
      this.addedCursor = cursor;
      this.lateQueue.push(...receivers);
    }
    if (this.lateQueue.length === 0) return 0;
    const state = this.state!;
    const cp = state.checkpoint!;
    let from = Infinity;
    const addresses: Hex[] = [];
    for (const r of this.lateQueue) {
      // the first block we committed whose timestamp is not before the receiver's creation
      const after = r.createdAt / 1000 - LATE_RECEIVER_MARGIN_S;
      const first = this.scanned.map((s) => { const i = s.times.findIndex((t) => t >= after); return i < 0 ? Infinity : s.from + i; });
      const start = Math.min(...first);
      if (start === Infinity) continue; // every block it can be paid in is still ahead
      from = Math.min(from, start);
      addresses.push(r.address.toLowerCase() as Hex);
    }
    const count = this.lateQueue.length;
    if (addresses.length === 0 || from > cp.number) {
      this.lateQueue = [];
      return 0;
    }
    const tokens = [...this.tokens.keys()] as Hex[];
    const logs: TransferLog[] = [];
    for (let a = from; a <= cp.number; a += this.maxRange) {
      const b = Math.min(cp.number, a + this.maxRange - 1);
      for (let i = 0; i < addresses.length; i += 500) logs.push(...(await this.reader.transferLogsTo(a, b, tokens, addresses.slice(i, i + 500))));
    }
    const wanted = logs.filter((l) => l.value > 0n && addresses.includes(l.to) && this.tokens.has(l.token));
    // blocks we keep must be the ones logged; older ones are final for us
    for (const l of wanted) {
      const kept = state.blocks.get(l.blockNumber);
      if (kept && kept.hash !== l.blockHash) throw new InconsistentChainError(`rescan: log ${l.txHash}:${l.logIndex} names block ${l.blockNumber} ${l.blockHash}, we processed ${kept.hash}`);
    }
    const times = new Map<number, number>();
    const unknown = [...new Set(wanted.map((l) => l.blockNumber))].filter((n) => !state.blocks.has(n));
    const headers = unknown.length ? await this.reader.blocks(unknown, false) : [];
    for (const h of headers) if (h) times.set(h.number, h.timestamp);
    for (const [n, b] of state.blocks) times.set(n, b.timestamp);
    const base = { network: this.chain.network, livemode: this.chain.livemode, chainId: this.chain.chainId };
    const credits: Credit[] = wanted.map((l) => {
      const t = times.get(l.blockNumber);
      if (t === undefined) throw new InconsistentChainError(`rescan: block ${l.blockNumber} is missing`);
      return {
        ...base, txHash: l.txHash, logIndex: l.logIndex, blockNumber: l.blockNumber, blockHash: l.blockHash, blockTime: new Date(t * 1000),
        from: l.from, to: l.to, tokenAddress: l.token, assetCode: this.tokens.get(l.token)!.code, amount: l.value,
      };
    });
    const r = await this.store.commitRescan({ expected: this.fresh ? null : cp, from, credits });
    this.lateQueue = [];
    this.log.warn({ receivers: count, rescanned: addresses.length, from, to: cp.number, found: credits.length, recorded: r.recorded }, "receivers loaded late: rescanned the blocks since their creation");
    return r.recorded;
  }

  /** Paused after a deep reorg: resumes when the chain has our checkpoint again, or when an operator says so. */
  private async stillPaused(state: WatchState): Promise<boolean> {
    const p = state.paused!;
    if (p.resume) {
      await this.store.setPaused(null);
      this.acceptDeepReorg = true;
      this.log.warn({ reason: p.reason }, "resumed by an operator after a deep reorg: going on from below the oldest kept block");
      return false;
    }
    const cp = state.checkpoint!;
    const [b] = await this.reader.blocks([cp.number], false);
    if (b && b.hash === cp.hash) {
      await this.store.setPaused(null);
      this.log.warn({ checkpoint: cp.number }, "the chain has our checkpoint again: the deep reorg is undone, watching again");
      return false;
    }
    return true;
  }

  /** A log naming another hash for its block than the block we fetched is an inconsistency to refetch, not data. */
  private checkLogs(logs: readonly TransferLog[], blocks: readonly ChainBlock[], from: number): void {
    for (const l of logs) {
      const b = blocks[l.blockNumber - from];
      if (!b || b.hash !== l.blockHash) {
        throw new InconsistentChainError(`log ${l.txHash}:${l.logIndex} names block ${l.blockNumber} ${l.blockHash}, the block is ${b?.hash ?? "missing"}`);
      }
    }
  }

  private async credits(logs: readonly TransferLog[], blocks: readonly ChainBlock[]): Promise<Credit[]> {
    const base = { network: this.chain.network, livemode: this.chain.livemode, chainId: this.chain.chainId };
    const first = blocks[0].number;
    const out: Credit[] = [];
    for (const l of logs) {
      if (l.value === 0n || !this.receivers.has(l.to)) continue;
      const asset = this.tokens.get(l.token);
      if (!asset) continue;
      out.push({
        ...base, txHash: l.txHash, logIndex: l.logIndex, blockNumber: l.blockNumber, blockHash: l.blockHash,
        blockTime: new Date(blocks[l.blockNumber - first].timestamp * 1000),
        from: l.from, to: l.to, tokenAddress: l.token, assetCode: asset.code, amount: l.value,
      });
    }
    if (!this.native || !this.nativeAsset) return out;
    for (const b of blocks) {
      for (const t of b.transactions ?? []) {
        if (!t.to || t.value === 0n || !this.receivers.has(t.to) || this.ignored?.has(t.from)) continue;
        // a reverted transaction still shows its value: only the receipt tells (one call per match, not per block)
        if (!(await this.reader.txSucceeded(t.hash))) continue;
        out.push({
          ...base, txHash: t.hash, logIndex: -1, blockNumber: b.number, blockHash: b.hash, blockTime: new Date(b.timestamp * 1000),
          from: t.from, to: t.to, tokenAddress: null, assetCode: this.nativeAsset.code, amount: t.value,
        });
      }
    }
    return out;
  }

  private async reorg(from: number): Promise<void> {
    const state = this.state!;
    const cp = state.checkpoint!;
    const found = await findCommonAncestor(state.blocks, from, async (n) => (await this.reader.blocks([n], false))[0]);
    let ancestor: Checkpoint;
    if (found.verified) ancestor = { number: found.number, hash: found.hash!, timestamp: found.timestamp! };
    else if (!this.acceptDeepReorg) {
      // deeper than the confirmation depth: confirmed deposits may be gone. Never silently go on.
      const reason = `reorg deeper than the ${state.blocks.size} blocks kept (confirmation depth ${this.chain.confirmations}) below block ${from}: ` +
        "confirmed deposits may be gone; check them, then resume the network (README \"Deep reorgs\")";
      await this.store.setPaused(reason);
      state.paused = { reason, resume: false };
      this.log.error({ alert: "deep_reorg", from, checkpoint: cp.number, kept: state.blocks.size }, "reorg deeper than the confirmation depth: network paused");
      throw new DeepReorgError(`${this.chain.key}: ${reason}`);
    } else {
      const [b] = await this.reader.blocks([found.number], false);
      if (!b) throw new InconsistentChainError(`block ${found.number} is missing while looking for a reorg's common ancestor`);
      ancestor = { number: b.number, hash: b.hash, timestamp: b.timestamp };
      this.log.error({ from, ancestor: b.number, kept: state.blocks.size }, "reorg deeper than the blocks kept: going on from below the oldest kept block");
    }
    const { reverted } = await this.store.commitRevert({ expected: this.fresh ? null : cp, ancestor });
    this.fresh = false;
    this.log.warn({ checkpoint: cp.number, ancestor: ancestor.number, depth: cp.number - ancestor.number, reverted }, "reorg: back to the common ancestor");
    state.checkpoint = ancestor;
    this.acceptDeepReorg = false;
    for (const n of [...state.blocks.keys()]) if (n > ancestor.number) state.blocks.delete(n);
  }
}
