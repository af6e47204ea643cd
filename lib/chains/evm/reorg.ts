// The block-by-block decisions of the watcher, as in ponder's realtime sync: given the chain's head
// and what we processed, either nothing to do (same hash), fetch the next blocks (append, or a gap
// of several), or a reorg — walk back to the common ancestor and revert what was above it.
// Pure apart from the chain lookups passed in, so the unit tests drive it with an in-memory chain.
import type { BlockHeader, Hex } from "./chain-reader";

export type Checkpoint = { number: number; hash: Hex; timestamp: number };

export type Step =
  | { kind: "idle"; why: "same-head" | "node-behind" }
  /** walk back starting at block `from` (the highest block whose hash may differ) */
  | { kind: "reorg"; from: number }
  /** process [from, to] */
  | { kind: "advance"; from: number; to: number };

/**
 * The four cases for a new head. A head at or below our checkpoint is either one we processed
 * (same hash: nothing to do; an RPC node lagging behind another) or a replacement of it (reorg).
 * A head above it means new blocks; whether they extend ours is known once the first one's
 * parent hash is compared with the checkpoint (see linksTo).
 */
export function nextStep(cp: Checkpoint, head: BlockHeader, stored: ReadonlyMap<number, BlockHeader>, maxRange: number): Step {
  if (head.number === cp.number) return head.hash === cp.hash ? { kind: "idle", why: "same-head" } : { kind: "reorg", from: cp.number };
  if (head.number < cp.number) {
    const ours = stored.get(head.number);
    // a block we no longer keep is final for us; a lagging node cannot move it
    if (!ours || ours.hash === head.hash) return { kind: "idle", why: "node-behind" };
    return { kind: "reorg", from: head.number };
  }
  return { kind: "advance", from: cp.number + 1, to: Math.min(head.number, cp.number + Math.max(1, maxRange)) };
}

/** Whether freshly fetched blocks [cp+1 …] continue the checkpoint and each other. */
export function linksTo(cp: Checkpoint, blocks: readonly BlockHeader[]): "ok" | "reorg" | "inconsistent" {
  if (blocks.length === 0) return "ok";
  if (blocks[0].number !== cp.number + 1) return "inconsistent";
  if (blocks[0].parentHash !== cp.hash) return "reorg";
  for (let i = 1; i < blocks.length; i++) {
    if (blocks[i].number !== blocks[i - 1].number + 1 || blocks[i].parentHash !== blocks[i - 1].hash) return "inconsistent";
  }
  return "ok";
}

export type Ancestor = { number: number; hash: Hex | null; timestamp: number | null; verified: boolean; checked: number };

/**
 * Walks back from `from`, comparing the hash we stored for each block with the chain's, down to
 * the oldest block we keep. The first match is the common ancestor. If none matches the reorg is
 * deeper than what we keep (deeper than the confirmation depth): the block below the oldest kept
 * one is taken as the ancestor, unverified.
 */
export async function findCommonAncestor(
  stored: ReadonlyMap<number, BlockHeader>,
  from: number,
  chainBlock: (n: number) => Promise<BlockHeader | null>,
): Promise<Ancestor> {
  const numbers = [...stored.keys()];
  const lowest = numbers.length ? Math.min(...numbers) : from + 1;
  let checked = 0;
  for (let n = Math.min(from, numbers.length ? Math.max(...numbers) : from); n >= lowest; n--) {
    const ours = stored.get(n);
    if (!ours) continue;
    const theirs = await chainBlock(n);
    checked++;
    if (theirs && theirs.hash === ours.hash) return { number: n, hash: ours.hash, timestamp: ours.timestamp, verified: true, checked };
  }
  return { number: Math.min(lowest, from + 1) - 1, hash: null, timestamp: null, verified: false, checked };
}
