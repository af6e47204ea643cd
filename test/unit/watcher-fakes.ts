// In-memory stand-ins for the watcher's chain and store, for the unit tests: a chain that can mine,
// reorg and rewind; a store with the same compare-and-set and deposit rules as the database one.
import type { ChainConfig } from "@/lib/config";
import type { Credit } from "@/lib/deposits/credit";
import { transferBloom } from "@/lib/chains/evm/bloom";
import type { BlockHeader, ChainBlock, ChainReader, Head, Hex, TransferLog } from "@/lib/chains/evm/chain-reader";
import type { Checkpoint } from "@/lib/chains/evm/reorg";
import { RpcResponseError } from "@/lib/chains/evm/rpc";
import type { RangeCommit, RescanCommit, RevertCommit, WatchState, WatchStore } from "@/lib/chains/evm/watch-store";
import { CheckpointConflictError } from "@/lib/chains/evm/watch-store";

export const USDC = "0x6d1a70703e4c7cf35e2be3b9dded28401a915553" as Hex;
export const USDT = "0x1eb3aee4475f0a5e09871a83638f0129af3be434" as Hex;

export function testChain(confirmations: number): ChainConfig {
  return {
    key: "ethereum:test", network: "ethereum", family: "evm", livemode: false, chainId: 31337, rpcUrls: ["http://127.0.0.1:1"], publicRpcUrl: null,
    confirmations, maxLagSeconds: 10, enabled: true, assets: { ETH: null, eUSDC: USDC, eUSDT: USDT },
  };
}

/** A small deterministic PRNG (mulberry32) so a failing seed can be replayed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Payment = { token: Hex | null; to: Hex; value: bigint; txHash: Hex; failed?: boolean };
type FakeBlock = ChainBlock & { payments: Payment[] };

let counter = 0;
export const randomHex = (bytes: number, rand: () => number = Math.random): Hex =>
  `0x${Array.from({ length: bytes }, () => Math.floor(rand() * 256).toString(16).padStart(2, "0")).join("")}` as Hex;
const uniqueHash = (): Hex => `0x${(++counter).toString(16).padStart(8, "0")}${randomHex(28).slice(2)}` as Hex;

export class FakeChain implements ChainReader {
  list: FakeBlock[] = [];
  calls = { head: 0, blocks: 0, logs: 0, logsByHash: 0, blockReceipts: 0, logsTo: 0, receipts: 0 };
  /** eth_getLogs (by range and by hash) answers [] for blocks at or above this number, as a lagging node behind a load balancer */
  emptyLogsFrom = Infinity;
  /** eth_getBlockReceipts answers null (the node does not know the block) for blocks at or above this number */
  noReceiptsFrom = Infinity;
  /** the chain id the node reports with its head */
  chainId = 31337;
  /** the head is reported this many blocks behind the tip */
  headLag = 0;
  /** eth_getLogs fails for ranges wider than this */
  logsRangeLimit = Infinity;
  /** the next eth_getLogs answer names a wrong block hash */
  corruptNextLogs = false;

  constructor(length = 5) {
    for (let i = 0; i < length; i++) this.mine();
  }

  get tip(): FakeBlock {
    return this.list[this.list.length - 1];
  }

  mine(payments: Omit<Payment, "txHash">[] = []): FakeBlock {
    const number = this.list.length;
    const parent = this.list[number - 1];
    const b: FakeBlock = {
      number, hash: uniqueHash(), parentHash: parent ? parent.hash : ("0x" + "00".repeat(32)) as Hex, timestamp: 1_700_000_000 + number,
      payments: payments.map((p) => ({ ...p, txHash: uniqueHash() })),
    };
    b.transactions = b.payments.map((p) => ({ hash: p.txHash, from: "0x00000000000000000000000000000000000000aa" as Hex, to: p.token ?? p.to, value: p.token ? 0n : p.value }));
    this.list.push(b);
    return b;
  }

  /** Replaces the last `depth` blocks with new ones (new hashes); `keep` picks the payments that make it into the new branch. */
  reorg(depth: number, keep: (p: Payment) => boolean = () => false, extraBlocks = 0): void {
    const dropped = this.list.splice(this.list.length - depth, depth);
    const carried = dropped.flatMap((b) => b.payments).filter(keep);
    for (let i = 0; i < depth + extraBlocks; i++) {
      const b = this.mine();
      if (i === 0 && carried.length) {
        // re-included transactions keep their hashes
        b.payments = carried;
        b.transactions = carried.map((p) => ({ hash: p.txHash, from: "0x00000000000000000000000000000000000000aa" as Hex, to: p.token ?? p.to, value: p.token ? 0n : p.value }));
      }
    }
  }

  async head(): Promise<Head> {
    this.calls.head++;
    const { number, hash, parentHash, timestamp } = this.list[Math.max(0, this.list.length - 1 - this.headLag)];
    return { number, hash, parentHash, timestamp, chainId: this.chainId };
  }

  private logsOf(b: FakeBlock, tokens: readonly Hex[]): TransferLog[] {
    const out: TransferLog[] = [];
    b.payments.forEach((p, i) => {
      if (!p.token || !tokens.includes(p.token)) return;
      out.push({ token: p.token, from: "0x00000000000000000000000000000000000000aa" as Hex, to: p.to, value: p.value, blockNumber: b.number, blockHash: b.hash, txHash: p.txHash, logIndex: i });
    });
    return out;
  }

  async transferLogsByHash(hashes: readonly Hex[], tokens: readonly Hex[]): Promise<TransferLog[][]> {
    this.calls.logsByHash += hashes.length;
    return hashes.map((h) => {
      const b = this.list.find((x) => x.hash === h);
      if (!b) throw new RpcResponseError("eth_getLogs", -32000, "unknown block");
      const out = b.number >= this.emptyLogsFrom ? [] : this.logsOf(b, tokens);
      if (this.corruptNextLogs && out.length) {
        this.corruptNextLogs = false;
        out[0] = { ...out[0], blockHash: uniqueHash() };
      }
      return out;
    });
  }

  async receiptTransferLogs(hash: Hex, tokens: readonly Hex[]): Promise<TransferLog[] | null> {
    this.calls.blockReceipts++;
    const b = this.list.find((x) => x.hash === hash);
    if (!b || b.number >= this.noReceiptsFrom) return null;
    return this.logsOf(b, tokens);
  }

  async transferLogsTo(from: number, to: number, tokens: readonly Hex[], recipients: readonly Hex[]): Promise<TransferLog[]> {
    this.calls.logsTo++;
    const out: TransferLog[] = [];
    for (let n = from; n <= Math.min(to, this.list.length - 1); n++) out.push(...this.logsOf(this.list[n], tokens).filter((l) => recipients.includes(l.to)));
    return out;
  }

  async blocks(numbers: readonly number[], withTxs: boolean): Promise<(ChainBlock | null)[]> {
    this.calls.blocks += numbers.length;
    return numbers.map((n) => {
      const b = this.list[n];
      if (!b) return null;
      const { number, hash, parentHash, timestamp } = b;
      const logsBloom = transferBloom([...new Set(b.payments.flatMap((p) => (p.token ? [p.token] : [])))]);
      return withTxs ? { number, hash, parentHash, timestamp, logsBloom, transactions: b.transactions } : { number, hash, parentHash, timestamp, logsBloom };
    });
  }

  async transferLogs(from: number, to: number, tokens: readonly Hex[]): Promise<TransferLog[]> {
    this.calls.logs++;
    if (to - from + 1 > this.logsRangeLimit) throw new RpcResponseError("eth_getLogs", -32005, "query exceeds max block range");
    const out: TransferLog[] = [];
    for (let n = from; n <= Math.min(to, this.list.length - 1); n++) if (n < this.emptyLogsFrom) out.push(...this.logsOf(this.list[n], tokens));
    if (this.corruptNextLogs && out.length) {
      this.corruptNextLogs = false;
      out[0] = { ...out[0], blockHash: uniqueHash() };
    }
    return out;
  }

  async txSucceeded(hash: Hex): Promise<boolean> {
    this.calls.receipts++;
    for (const b of this.list) for (const p of b.payments) if (p.txHash === hash) return !p.failed;
    throw new Error(`unknown tx ${hash}`);
  }
}

export type MemDeposit = { key: string; credit: Credit; status: "seen" | "confirmed" | "reverted"; blockNumber: number; blockHash: string; history: string[] };

/** WatchStore with the database store's rules (CAS checkpoint, idempotent credits, confirm/revert), in memory. */
export class MemoryStore implements WatchStore {
  checkpoint: Checkpoint | null = null;
  blocks = new Map<number, BlockHeader>();
  deposits = new Map<string, MemDeposit>();
  commits = 0;
  /** throw inside the next commit, before anything is applied (a crash mid-transaction) */
  failNextCommit = false;
  paused: { reason: string; resume: boolean } | null = null;

  constructor(readonly confirmations: number) {}

  async load(): Promise<WatchState> {
    return { checkpoint: this.checkpoint ? { ...this.checkpoint } : null, blocks: new Map(this.blocks), paused: this.paused ? { ...this.paused } : null };
  }

  private cas(expected: Checkpoint | null, next: Checkpoint): void {
    const same = expected === null ? this.checkpoint === null : this.checkpoint?.number === expected.number && this.checkpoint.hash === expected.hash;
    if (!same) throw new CheckpointConflictError("memory");
    this.checkpoint = { ...next };
  }

  async commitRange(c: RangeCommit) {
    if (this.failNextCommit) {
      this.failNextCommit = false;
      throw new Error("crash inside the transaction");
    }
    this.cas(c.expected, c.next);
    this.commits++;
    for (const b of c.blocks) if (b.number >= c.keepFrom) this.blocks.set(b.number, b);
    for (const n of [...this.blocks.keys()]) if (n < c.keepFrom) this.blocks.delete(n);
    let recorded = 0;
    for (const credit of c.credits) {
      const key = `${credit.txHash}:${credit.logIndex}`;
      const d = this.deposits.get(key);
      if (!d) {
        this.deposits.set(key, { key, credit, status: "seen", blockNumber: credit.blockNumber, blockHash: credit.blockHash, history: ["seen"] });
        recorded++;
      } else if ((d.blockHash !== credit.blockHash || d.status === "reverted") && d.status !== "confirmed") {
        Object.assign(d, { status: "seen", blockNumber: credit.blockNumber, blockHash: credit.blockHash });
        d.history.push("seen");
        recorded++;
      }
    }
    const canonical = new Set<string>(c.blocks.map((b) => b.hash));
    let reverted = 0;
    for (const d of this.deposits.values()) {
      if (d.status === "seen" && d.blockNumber >= c.from && d.blockNumber <= c.to && !canonical.has(d.blockHash)) {
        d.status = "reverted";
        d.history.push("reverted");
        reverted++;
      }
    }
    let confirmed = 0;
    const n = Math.max(this.confirmations, 1);
    for (const d of this.deposits.values()) {
      if (d.status === "seen" && d.blockNumber >= c.from - n + 1 && d.blockNumber <= c.to - n + 1) {
        d.status = "confirmed";
        d.history.push("confirmed");
        confirmed++;
      }
    }
    return { recorded, reverted, confirmed };
  }

  async commitRevert(c: RevertCommit) {
    this.cas(c.expected, c.ancestor);
    for (const n of [...this.blocks.keys()]) if (n > c.ancestor.number) this.blocks.delete(n);
    let reverted = 0;
    for (const d of this.deposits.values()) {
      if (d.status === "seen" && d.blockNumber > c.ancestor.number) {
        d.status = "reverted";
        d.history.push("reverted");
        reverted++;
      }
    }
    return { reverted };
  }

  async commitRescan(c: RescanCommit) {
    if (c.expected) this.cas(c.expected, c.expected);
    let recorded = 0;
    let confirmed = 0;
    const n = Math.max(this.confirmations, 1);
    for (const credit of c.credits) {
      const key = `${credit.txHash}:${credit.logIndex}`;
      if (this.deposits.has(key)) continue;
      const d: MemDeposit = { key, credit, status: "seen", blockNumber: credit.blockNumber, blockHash: credit.blockHash, history: ["seen"] };
      this.deposits.set(key, d);
      recorded++;
      if (c.expected && d.blockNumber <= c.expected.number - n + 1) {
        d.status = "confirmed";
        d.history.push("confirmed");
        confirmed++;
      }
    }
    return { recorded, confirmed };
  }

  async setPaused(reason: string | null): Promise<void> {
    this.paused = reason === null ? null : { reason, resume: false };
  }

  async touch(): Promise<void> {}
  async recordError(): Promise<void> {}

  active(): MemDeposit[] {
    return [...this.deposits.values()].filter((d) => d.status !== "reverted");
  }
}

/** A fixed receiver set. */
export function receiverSet(addresses: readonly string[]) {
  const set = new Set(addresses.map((a) => a.toLowerCase()));
  const added: { address: string; createdAt: number }[] = [];
  return {
    has: (a: string) => set.has(a.toLowerCase()),
    refreshAfter: async () => {},
    add: (a: string) => set.add(a.toLowerCase()),
    /** a receiver learnt of late, created at `createdAt` (ms) */
    addLate: (a: string, createdAt: number) => { set.add(a.toLowerCase()); added.push({ address: a.toLowerCase(), createdAt }); },
    added: (cursor: number) => ({ cursor: added.length, receivers: added.slice(cursor) }),
  };
}
