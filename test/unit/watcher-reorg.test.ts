// The watcher's block logic against an in-memory chain and store: the four cases per new head,
// walk-back to the common ancestor, adaptive eth_getLogs ranges, provider cross-checks, restarts,
// and a seeded randomized simulation of mining, reorgs and crashes (ponder's simulation tests).
import { describe, expect, it, vi } from "vitest";
import { findCommonAncestor, linksTo, nextStep } from "@/lib/chains/evm/reorg";
import { InconsistentChainError, type BlockHeader, type Hex } from "@/lib/chains/evm/chain-reader";
import { EvmWatcher } from "@/lib/chains/evm/watcher";
import { FakeChain, MemoryStore, USDC, USDT, prng, randomHex, receiverSet, testChain } from "./watcher-fakes";

vi.hoisted(() => { process.env.LOG_LEVEL ??= "silent"; }); // the watcher logs every shrink and reorg

const ALICE = "0x1111111111111111111111111111111111111111" as Hex;
const BOB = "0x2222222222222222222222222222222222222222" as Hex;
const STRANGER = "0x3333333333333333333333333333333333333333" as Hex;

function setup(confirmations = 3, opts: { maxRange?: number; native?: boolean } = {}) {
  const chain = new FakeChain(10);
  const store = new MemoryStore(confirmations);
  const receivers = receiverSet([ALICE, BOB]);
  const make = () => new EvmWatcher(testChain(confirmations), {
    reader: chain, store, receivers, ignoredSenders: async () => new Set(), maxRange: opts.maxRange ?? 1000, native: opts.native,
  });
  return { chain, store, receivers, watcher: make(), make };
}

const header = (number: number, hash: string, parentHash = "0x0"): BlockHeader => ({ number, hash: hash as Hex, parentHash: parentHash as Hex, timestamp: 0 });

describe("reorg decisions (pure)", () => {
  const cp = { number: 10, hash: "0xa10" as Hex, timestamp: 0 };
  const stored = new Map([[9, header(9, "0xa9")], [10, header(10, "0xa10", "0xa9")]]);

  it("same head is a no-op; a different hash at the same height is a reorg", () => {
    expect(nextStep(cp, header(10, "0xa10"), stored, 100)).toEqual({ kind: "idle", why: "same-head" });
    expect(nextStep(cp, header(10, "0xb10"), stored, 100)).toEqual({ kind: "reorg", from: 10 });
  });

  it("a head below ours: a lagging node when we know that block, a reorg when we stored another hash", () => {
    expect(nextStep(cp, header(9, "0xa9"), stored, 100).kind).toBe("idle");
    expect(nextStep(cp, header(5, "0xzz"), stored, 100).kind).toBe("idle"); // older than what we keep: final for us
    expect(nextStep(cp, header(9, "0xb9"), stored, 100)).toEqual({ kind: "reorg", from: 9 });
  });

  it("new blocks: append, or fetch the gap in ranges", () => {
    expect(nextStep(cp, header(11, "0xa11"), stored, 100)).toEqual({ kind: "advance", from: 11, to: 11 });
    expect(nextStep(cp, header(500, "0x"), stored, 100)).toEqual({ kind: "advance", from: 11, to: 110 });
  });

  it("fetched blocks must extend the checkpoint and each other", () => {
    expect(linksTo(cp, [header(11, "0xa11", "0xa10"), header(12, "0xa12", "0xa11")])).toBe("ok");
    expect(linksTo(cp, [header(11, "0xb11", "0xb10")])).toBe("reorg");
    expect(linksTo(cp, [header(11, "0xa11", "0xa10"), header(12, "0xa12", "0xzz")])).toBe("inconsistent");
  });

  it("walks back to the highest block whose stored hash the chain still has", async () => {
    const ours = new Map([6, 7, 8, 9, 10].map((n) => [n, header(n, `0xa${n}`)]));
    const theirs = (n: number) => Promise.resolve(header(n, n <= 7 ? `0xa${n}` : `0xb${n}`));
    expect(await findCommonAncestor(ours, 10, theirs)).toMatchObject({ number: 7, hash: "0xa7", verified: true, checked: 4 });
    // deeper than what we keep: the block below the oldest kept one, unverified
    expect(await findCommonAncestor(ours, 10, (n) => Promise.resolve(header(n, `0xc${n}`)))).toMatchObject({ number: 5, verified: false });
  });
});

describe("EvmWatcher on an in-memory chain", () => {
  it("starts at the current head, not at genesis", async () => {
    const { chain, store, watcher } = setup();
    chain.list[3].payments.push({ token: USDC, to: ALICE, value: 1n, txHash: randomHex(32) });
    const r = await watcher.tick();
    expect(r).toMatchObject({ blocks: 1, caughtUp: true });
    expect(store.checkpoint).toMatchObject({ number: chain.tip.number, hash: chain.tip.hash });
    expect(store.deposits.size).toBe(0);
  });

  it("matches token transfers and native transfers to watched receivers only; confirms at depth N", async () => {
    const { chain, store, watcher } = setup(3);
    await watcher.tick();
    const b = chain.mine([
      { token: USDC, to: ALICE, value: 5_000_000n },
      { token: USDT, to: STRANGER, value: 7n },
      { token: null, to: BOB, value: 10n ** 18n },
      { token: null, to: BOB, value: 1n, failed: true },
    ]);
    await watcher.tick();
    const got = [...store.deposits.values()].map((d) => [d.credit.assetCode, d.credit.to, d.credit.amount, d.status]);
    expect(got).toEqual([["eUSDC", ALICE, 5_000_000n, "seen"], ["ETH", BOB, 10n ** 18n, "seen"]]);
    // N = 3: confirmed once head ≥ B + 2
    chain.mine();
    await watcher.tick();
    expect(store.active().every((d) => d.status === "seen")).toBe(true);
    chain.mine();
    await watcher.tick();
    expect(chain.tip.number).toBe(b.number + 2);
    expect(store.active().every((d) => d.status === "confirmed")).toBe(true);
  });

  it("with one confirmation a deposit is confirmed in the block that brings it", async () => {
    const { chain, store, watcher } = setup(1);
    await watcher.tick();
    chain.mine([{ token: USDC, to: ALICE, value: 1n }]);
    await watcher.tick();
    expect(store.active().map((d) => d.status)).toEqual(["confirmed"]);
  });

  it("a reorg before confirmation reverts; a re-included transfer comes back under its new block", async () => {
    const { chain, store, watcher } = setup(5);
    await watcher.tick();
    chain.mine([{ token: USDC, to: ALICE, value: 1n }]);
    chain.mine([{ token: USDC, to: BOB, value: 2n }]);
    chain.mine();
    await watcher.tick();
    expect(store.active()).toHaveLength(2);
    // replace the last 3 blocks: Alice's transfer is re-included, Bob's is gone
    chain.reorg(3, (p) => p.to === ALICE);
    const r = await watcher.tick();
    expect(r.reorgs).toBe(1);
    const alice = [...store.deposits.values()].find((d) => d.credit.to === ALICE)!;
    const bob = [...store.deposits.values()].find((d) => d.credit.to === BOB)!;
    expect(bob.status).toBe("reverted");
    expect(alice.history).toEqual(["seen", "reverted", "seen"]);
    expect(alice.blockHash).toBe(chain.list[alice.blockNumber].hash);
    expect(store.checkpoint!.hash).toBe(chain.tip.hash);
  });

  it("a reorg that makes the chain longer is found through the parent hash of the next block", async () => {
    const { chain, store, watcher } = setup(5);
    await watcher.tick();
    chain.mine([{ token: USDT, to: BOB, value: 9n }]);
    await watcher.tick();
    chain.reorg(1, () => false, 4);
    await watcher.tick();
    expect(store.active()).toHaveLength(0);
    expect(store.checkpoint!.hash).toBe(chain.tip.hash);
    expect([...store.blocks.values()].every((b) => chain.list[b.number].hash === b.hash)).toBe(true);
  });

  it("backfills a gap in ranges, shrinking eth_getLogs ranges the provider refuses and growing them back", async () => {
    const { chain, store, watcher } = setup(2, { maxRange: 64 });
    await watcher.tick();
    for (let i = 0; i < 300; i++) chain.mine(i % 7 === 0 ? [{ token: USDC, to: ALICE, value: BigInt(i + 1) }] : []);
    chain.logsRangeLimit = 10;
    let r = await watcher.tick();
    expect(r.caughtUp).toBe(true);
    expect(store.active()).toHaveLength(Math.ceil(300 / 7));
    expect(watcher.currentRange).toBeLessThanOrEqual(16); // 64 → 32 → 16 → 8 (then growing, capped by failures at 10)
    chain.logsRangeLimit = Infinity;
    for (let i = 0; i < 2000; i++) chain.mine();
    r = await watcher.tick();
    expect(r.caughtUp).toBe(true);
    expect(watcher.currentRange).toBe(64);
  });

  it("RPC calls per block do not depend on the number of receivers", async () => {
    const counts: number[] = [];
    for (const n of [1, 1000, 100_000]) {
      const { chain, receivers, watcher } = setup(2, { maxRange: 100 });
      for (let i = 0; i < n; i++) receivers.add(randomHex(20));
      await watcher.tick();
      const before = { ...chain.calls };
      for (let i = 0; i < 500; i++) chain.mine([{ token: USDC, to: randomHex(20), value: 1n }, { token: USDT, to: ALICE, value: 1n }]);
      await watcher.tick();
      counts.push(chain.calls.head - before.head + chain.calls.blocks - before.blocks + chain.calls.logs - before.logs);
    }
    expect(new Set(counts).size).toBe(1);
  });

  it("a log naming another block hash than the fetched block is refetched, never recorded", async () => {
    const { chain, store, watcher } = setup(2);
    await watcher.tick();
    chain.mine([{ token: USDC, to: ALICE, value: 1n }]);
    chain.corruptNextLogs = true;
    await expect(watcher.tick()).rejects.toBeInstanceOf(InconsistentChainError);
    expect(store.deposits.size).toBe(0);
    await watcher.tick();
    expect(store.active()).toHaveLength(1);
  });

  it("a crash inside a commit loses nothing and credits nothing twice", async () => {
    const { chain, store, make } = setup(2);
    let watcher = make();
    await watcher.tick();
    chain.mine([{ token: USDC, to: ALICE, value: 1n }]);
    store.failNextCommit = true;
    await expect(watcher.tick()).rejects.toThrow("crash");
    watcher = make(); // a new process
    chain.mine([{ token: USDC, to: ALICE, value: 2n }]);
    await watcher.tick();
    await make().tick();
    expect(store.active().map((d) => d.credit.amount).sort()).toEqual([1n, 2n]);
  });

  it("two watchers on one store: the checkpoint compare-and-set lets only one commit a range", async () => {
    const { chain, store, make } = setup(2);
    const a = make();
    const b = make();
    await a.tick();
    await b.tick(); // loads a's checkpoint
    chain.mine([{ token: USDC, to: ALICE, value: 1n }]);
    await a.tick();
    await expect(b.tick()).rejects.toThrow("checkpoint moved");
    await b.tick(); // reloads, nothing left to do
    expect(store.deposits.size).toBe(1);
  });
});

describe("seeded simulation: mining, reorgs shallower than the confirmation depth, crashes", () => {
  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
    it(`seed ${seed}`, async () => {
      const rand = prng(seed);
      const N = 1 + Math.floor(rand() * 6);
      const { chain, store, make } = setup(N, { maxRange: 1 + Math.floor(rand() * 20) });
      let watcher = make();
      await watcher.tick();
      const watched = [ALICE, BOB];
      for (let step = 0; step < 150; step++) {
        const r = rand();
        if (r < 0.55) {
          const pays = Array.from({ length: Math.floor(rand() * 3) }, () => ({
            token: rand() < 0.2 ? null : rand() < 0.5 ? USDC : USDT,
            to: rand() < 0.7 ? watched[Math.floor(rand() * 2)] : randomHex(20, rand),
            value: BigInt(1 + Math.floor(rand() * 1000)),
          }));
          chain.mine(pays);
        } else if (r < 0.65 && N > 1) {
          // strictly shallower than the confirmation depth, so nothing confirmed is touched
          const depth = 1 + Math.floor(rand() * (N - 1));
          chain.reorg(Math.min(depth, chain.list.length - 1), () => rand() < 0.5, Math.floor(rand() * 3));
        } else if (r < 0.72) {
          watcher = make(); // restart
        } else if (r < 0.76) {
          store.failNextCommit = true;
          await watcher.tick().catch(() => {});
          store.failNextCommit = false;
        } else {
          await watcher.tick().catch((e) => { if (!(e instanceof InconsistentChainError)) throw e; });
        }
      }
      while (!(await watcher.tick()).caughtUp) { /* catch up */ }

      const head = chain.tip;
      expect(store.checkpoint).toMatchObject({ number: head.number, hash: head.hash });
      // what the chain says was paid to our receivers (nothing was before the watcher started), exactly once
      const expected = new Set<string>();
      for (const b of chain.list) {
        b.payments.forEach((p, i) => {
          if (!watched.includes(p.to)) return;
          expected.add(p.token ? `${p.txHash}:${i}` : `${p.txHash}:-1`);
        });
      }
      const active = store.active();
      expect(new Set(active.map((d) => d.key))).toEqual(expected);
      for (const d of active) {
        expect(d.blockHash).toBe(chain.list[d.blockNumber].hash);
        expect(d.status).toBe(head.number >= d.blockNumber + N - 1 ? "confirmed" : "seen");
      }
      for (const d of store.deposits.values()) expect(d.history.join(">")).not.toContain("confirmed>reverted");
      for (const [n, b] of store.blocks) expect(b.hash).toBe(chain.list[n].hash);
    });
  }
});
