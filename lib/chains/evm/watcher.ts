// The EVM chain watcher (DOMAIN.md "Chain watching"), one per enabled EVM-like network (EVM chains
// and Tron, whose full nodes serve the same Ethereum-style JSON-RPC), run by the
// worker that holds the network's lease. Per block range:
//   eth_getLogs(Transfer, every configured token contract)   one call per range, whatever the number of receivers
//   eth_getBlockByNumber(n, with transactions)               native coin, and the hash chain (batched)
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
import { InconsistentChainError, RpcChainReader, type BlockHeader, type ChainBlock, type ChainReader, type Hex, type TransferLog } from "./chain-reader";
import { findCommonAncestor, linksTo, nextStep, type Checkpoint } from "./reorg";
import { EvmRpc } from "./rpc";
import { DbWatchStore, type WatchState, type WatchStore } from "./watch-store";
import { watchedReceivers } from "./watched-receivers";

/** The watched addresses (lower case); refreshAfter(t) completes a refresh begun at or after t. */
export type ReceiverMatcher = { has(address: string): boolean; refreshAfter(notBefore: number): Promise<void> };

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

export type TickResult = { blocks: number; credits: number; reorgs: number; caughtUp: boolean; head: number; checkpoint: number };

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
    const out: TickResult = { blocks: 0, credits: 0, reorgs: 0, caughtUp: false, head: 0, checkpoint: 0 };
    try {
      const head = await this.reader.head();
      // head first, receivers second: every receiver committed before this head was read is
      // matched against all of its blocks (a payment cannot precede its receiver's creation)
      await this.receivers.refreshAfter(Date.now());
      const state = await this.loadState(head);
      out.head = head.number;
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
        const r = await this.advance(step.from, step.to);
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

  private async loadState(head: BlockHeader): Promise<WatchState> {
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

  private async advance(from: number, to: number): Promise<"reorg" | "shrunk" | { blocks: number; credits: number }> {
    const state = this.state!;
    const cp = state.checkpoint!;
    const numbers = Array.from({ length: to - from + 1 }, (_, i) => from + i);
    const [logs, fetched] = await Promise.all([
      this.reader.transferLogs(from, to, [...this.tokens.keys()] as Hex[]).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e)))),
      this.reader.blocks(numbers, this.native),
    ]);
    if (logs instanceof Error) {
      // providers cap eth_getLogs by block range or result size (an error answer, or a timeout):
      // halve the range and retry; it grows back after a few good ranges
      if (!(logs instanceof InconsistentChainError) && to > from) {
        this.range = Math.max(1, Math.floor((to - from + 1) / 2));
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
    this.checkLogs(logs, blocks, from);

    const credits = await this.credits(logs, blocks);
    const last = blocks[blocks.length - 1];
    const next: Checkpoint = { number: last.number, hash: last.hash, timestamp: last.timestamp };
    const keepFrom = last.number - this.keep + 1;
    const headers = blocks.map((b) => ({ number: b.number, hash: b.hash, parentHash: b.parentHash, timestamp: b.timestamp }));
    await this.store.commitRange({ expected: this.fresh ? null : cp, next, from, to, blocks: headers, keepFrom, credits });
    this.fresh = false;
    state.checkpoint = next;
    for (const b of headers) if (b.number >= keepFrom) state.blocks.set(b.number, b);
    for (const n of [...state.blocks.keys()]) if (n < keepFrom) state.blocks.delete(n);
    if (++this.goodRanges >= 3 && this.range < this.maxRange) {
      this.range = Math.min(this.maxRange, this.range * 2);
      this.goodRanges = 0;
    }
    if (credits.length) this.log.info({ from, to, credits: credits.length }, "credits recorded");
    return { blocks: blocks.length, credits: credits.length };
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
    else {
      const [b] = await this.reader.blocks([found.number], false);
      if (!b) throw new InconsistentChainError(`block ${found.number} is missing while looking for a reorg's common ancestor`);
      ancestor = { number: b.number, hash: b.hash, timestamp: b.timestamp };
      this.log.error({ from, ancestor: b.number, kept: state.blocks.size }, "reorg deeper than the blocks kept: going on from below the oldest kept block");
    }
    const { reverted } = await this.store.commitRevert({ expected: this.fresh ? null : cp, ancestor });
    this.fresh = false;
    this.log.warn({ checkpoint: cp.number, ancestor: ancestor.number, depth: cp.number - ancestor.number, reverted }, "reorg: back to the common ancestor");
    state.checkpoint = ancestor;
    for (const n of [...state.blocks.keys()]) if (n > ancestor.number) state.blocks.delete(n);
  }
}
