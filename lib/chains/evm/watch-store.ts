// The watcher's persisted side per network: the checkpoint (network_status — the last processed
// block, which /v1/system/sync reports), the unfinalized blocks behind it (chain_blocks), and the
// deposits. A range's deposits, blocks and checkpoint are written in one transaction; so are a
// reorg's reverts and the checkpoint's move back to the common ancestor.
import { and, eq, gt, lt, sql } from "drizzle-orm";
import { chainBlocks, networkStatus } from "@/db/schema";
import type { ChainConfig } from "@/lib/config";
import { db } from "@/lib/db/client";
import { announceAndEvaluate, confirmRange, noChanges, recordCredits, revertAbove, revertOffChain, type Credit } from "@/lib/deposits/record";
import type { Tx } from "@/lib/events/emit";
import type { BlockHeader, Hex } from "./chain-reader";
import type { Checkpoint } from "./reorg";

/** `paused`: a reorg deeper than the confirmation depth stopped the network; `resume`: an operator said to go on */
export type WatchState = { checkpoint: Checkpoint | null; blocks: Map<number, BlockHeader>; paused?: { reason: string; resume: boolean } | null };

/** Deposits found by rescanning committed blocks for receivers loaded late; `from`: the lowest block rescanned. */
export type RescanCommit = { expected: Checkpoint | null; from: number; credits: readonly Credit[] };

/** A processed range [from, to]: its blocks (checked to extend `expected`) and the credits found in it. */
export type RangeCommit = {
  expected: Checkpoint | null;
  next: Checkpoint;
  from: number;
  to: number;
  blocks: readonly BlockHeader[];
  /** blocks below this number are final for us and no longer kept */
  keepFrom: number;
  credits: readonly Credit[];
};

/** A reorg: everything above `ancestor` is reverted and the checkpoint moves back to it. */
export type RevertCommit = { expected: Checkpoint | null; ancestor: Checkpoint };

export type WatchStore = {
  load(): Promise<WatchState>;
  commitRange(c: RangeCommit): Promise<{ recorded: number; reverted: number; confirmed: number }>;
  commitRevert(c: RevertCommit): Promise<{ reverted: number }>;
  /** records a rescan's credits (confirming those already deep enough), if the checkpoint is still `expected` */
  commitRescan(c: RescanCommit): Promise<{ recorded: number; confirmed: number }>;
  /** pauses the network (a reason) or lifts the pause (null) */
  setPaused(reason: string | null): Promise<void>;
  /** no new block: the watcher is alive */
  touch(): Promise<void>;
  recordError(err: unknown): Promise<void>;
};

/** Another watcher moved the checkpoint (lost lease, split brain): reload and go on from there. */
export class CheckpointConflictError extends Error {
  constructor(network: string) {
    super(`${network}: the checkpoint moved under this watcher`);
    this.name = "CheckpointConflictError";
  }
}

export class DbWatchStore implements WatchStore {
  constructor(readonly chain: ChainConfig) {}

  private status() {
    return and(eq(networkStatus.network, this.chain.network), eq(networkStatus.livemode, this.chain.livemode));
  }

  private blocks() {
    return and(eq(chainBlocks.network, this.chain.network), eq(chainBlocks.livemode, this.chain.livemode));
  }

  async load(): Promise<WatchState> {
    const [row] = await db().select().from(networkStatus).where(this.status());
    const rows = await db().select().from(chainBlocks).where(this.blocks());
    const blocks = new Map<number, BlockHeader>();
    for (const b of rows) {
      blocks.set(Number(b.number), { number: Number(b.number), hash: b.hash as Hex, parentHash: b.parentHash as Hex, timestamp: Math.floor(b.timestamp.getTime() / 1000) });
    }
    const checkpoint = row
      ? { number: Number(row.headNumber), hash: row.headHash as Hex, timestamp: Math.floor(row.headTime.getTime() / 1000) }
      : null;
    const paused = row?.watchPausedReason ? { reason: row.watchPausedReason, resume: row.watchResume } : null;
    return { checkpoint, blocks, paused };
  }

  async commitRange(c: RangeCommit) {
    const { network, livemode, confirmations } = this.chain;
    return db().transaction(async (tx) => {
      await this.moveCheckpoint(tx, c.expected, c.next);
      await this.keepBlocks(tx, c.blocks, c.keepFrom);
      const recorded = await recordCredits(tx, c.credits);
      const reverted = await revertOffChain(tx, network, livemode, c.from, c.to, c.blocks.map((b) => b.hash));
      const confirmed = await confirmRange(tx, network, livemode, c.from, c.to, confirmations);
      await announceAndEvaluate(tx, { recorded, reverted, confirmed });
      return { recorded: recorded.length, reverted: reverted.length, confirmed: confirmed.length };
    });
  }

  async commitRevert(c: RevertCommit) {
    return db().transaction(async (tx) => {
      await this.moveCheckpoint(tx, c.expected, c.ancestor);
      await tx.delete(chainBlocks).where(and(this.blocks(), gt(chainBlocks.number, BigInt(c.ancestor.number))));
      const reverted = await revertAbove(tx, this.chain.network, this.chain.livemode, c.ancestor.number);
      await announceAndEvaluate(tx, { ...noChanges(), reverted });
      return { reverted: reverted.length };
    });
  }

  async commitRescan(c: RescanCommit) {
    const { network, livemode, confirmations } = this.chain;
    return db().transaction(async (tx) => {
      // the same checkpoint, compared and set: only the lease holder's watcher writes
      if (c.expected) await this.moveCheckpoint(tx, c.expected, c.expected);
      const recorded = await recordCredits(tx, c.credits);
      const confirmed = c.expected ? await confirmRange(tx, network, livemode, c.from, c.expected.number, confirmations) : [];
      await announceAndEvaluate(tx, { ...noChanges(), recorded, confirmed });
      return { recorded: recorded.length, confirmed: confirmed.length };
    });
  }

  async setPaused(reason: string | null): Promise<void> {
    await db().update(networkStatus).set({ watchPausedReason: reason, watchResume: false }).where(this.status());
  }

  async touch(): Promise<void> {
    await db().update(networkStatus).set({ checkedAt: sql`now()`, lastError: null }).where(this.status());
  }

  async recordError(err: unknown): Promise<void> {
    const message = err instanceof Error ? err.message.split("\n")[0].slice(0, 500) : String(err);
    await db().update(networkStatus).set({ lastError: message }).where(this.status()).catch(() => {});
  }

  /** Compare-and-set of the checkpoint: from `expected` (null: none yet) to `next`. */
  private async moveCheckpoint(tx: Tx, expected: Checkpoint | null, next: Checkpoint): Promise<void> {
    const values = {
      chainId: this.chain.chainId, headNumber: BigInt(next.number), headHash: next.hash,
      headTime: new Date(next.timestamp * 1000), checkedAt: sql`now()`, lastError: null,
    };
    const moved = expected === null
      ? await tx.insert(networkStatus).values({ network: this.chain.network, livemode: this.chain.livemode, ...values })
        .onConflictDoNothing().returning({ n: networkStatus.network })
      : await tx.update(networkStatus).set(values)
        .where(and(this.status(), eq(networkStatus.headNumber, BigInt(expected.number)), eq(networkStatus.headHash, expected.hash)))
        .returning({ n: networkStatus.network });
    if (moved.length !== 1) throw new CheckpointConflictError(this.chain.key);
  }

  /** Stores the blocks at or above `keepFrom` and forgets older ones. */
  private async keepBlocks(tx: Tx, blocks: readonly BlockHeader[], keepFrom: number): Promise<void> {
    const rows = blocks.filter((b) => b.number >= keepFrom).map((b) => ({
      network: this.chain.network, livemode: this.chain.livemode, number: BigInt(b.number), hash: b.hash, parentHash: b.parentHash,
      timestamp: new Date(b.timestamp * 1000),
    }));
    if (rows.length) {
      await tx.insert(chainBlocks).values(rows).onConflictDoUpdate({
        target: [chainBlocks.network, chainBlocks.livemode, chainBlocks.number],
        set: { hash: sql`excluded.hash`, parentHash: sql`excluded.parent_hash`, timestamp: sql`excluded.timestamp` },
      });
    }
    await tx.delete(chainBlocks).where(and(this.blocks(), lt(chainBlocks.number, BigInt(keepFrom))));
  }
}
