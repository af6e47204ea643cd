// The watcher never advances past doubtful data (issue 15, item 6): the logsBloom check against
// an incomplete eth_getLogs answer, logs by block hash near the tip, stale heads, answers from
// another chain id, reorgs deeper than the confirmation depth (pause), and receivers loaded late.
import { describe, expect, it, vi } from "vitest";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { bloomAdd, bloomMayContain, tokensInBloom, transferBloom } from "@/lib/chains/evm/bloom";
import { InconsistentChainError, TRANSFER_TOPIC, type Hex } from "@/lib/chains/evm/chain-reader";
import { DeepReorgError, EvmWatcher } from "@/lib/chains/evm/watcher";
import { FakeChain, MemoryStore, USDC, USDT, receiverSet, testChain } from "./watcher-fakes";

vi.hoisted(() => { process.env.LOG_LEVEL ??= "silent"; });

const ALICE = "0x1111111111111111111111111111111111111111" as Hex;
const LATE = "0x4444444444444444444444444444444444444444" as Hex;
const bytes = (h: string) => Uint8Array.from(Buffer.from(h.slice(2), "hex"));

function setup(confirmations = 3) {
  const chain = new FakeChain(10);
  const store = new MemoryStore(confirmations);
  const receivers = receiverSet([ALICE]);
  const make = () => new EvmWatcher(testChain(confirmations), { reader: chain, store, receivers, ignoredSenders: async () => new Set(), native: false });
  return { chain, store, receivers, watcher: make(), make };
}

describe("logsBloom", () => {
  it("sets the three bits keccak's first byte pairs name, counted from the bloom's last byte", () => {
    const item = bytes(USDC);
    const h = keccak_256(item);
    const bloom = new Uint8Array(256);
    bloomAdd(bloom, item);
    const set = [...bloom].reduce((n, b) => n + b.toString(2).split("1").length - 1, 0);
    expect(set).toBeGreaterThanOrEqual(1);
    expect(set).toBeLessThanOrEqual(3);
    const bit = ((h[0] << 8) | h[1]) & 2047;
    expect(bloom[255 - (bit >> 3)] & (1 << (bit & 7))).not.toBe(0);
    expect(bloomMayContain(bloom, item)).toBe(true);
    expect(bloomMayContain(bloom, bytes(USDT))).toBe(false);
  });

  it("shows a token's Transfer only when both the token and the Transfer topic are in it", () => {
    expect(tokensInBloom(transferBloom([USDC]), [USDC, USDT])).toEqual([USDC]);
    expect(tokensInBloom(transferBloom([USDC, USDT]), [USDC, USDT])).toEqual([USDC, USDT]);
    // the token's address without the Transfer topic (an Approval, say): no Transfer shown
    const onlyToken = new Uint8Array(256);
    bloomAdd(onlyToken, bytes(USDC));
    expect(tokensInBloom(`0x${Buffer.from(onlyToken).toString("hex")}` as Hex, [USDC])).toEqual([]);
    const onlyTopic = new Uint8Array(256);
    bloomAdd(onlyTopic, bytes(TRANSFER_TOPIC));
    expect(tokensInBloom(`0x${Buffer.from(onlyTopic).toString("hex")}` as Hex, [USDC])).toEqual([]);
  });

  it("a zero, missing or malformed bloom (Tron's nodes report zeros) shows nothing", () => {
    expect(tokensInBloom(`0x${"00".repeat(256)}`, [USDC])).toEqual([]);
    expect(tokensInBloom(undefined, [USDC])).toEqual([]);
    expect(tokensInBloom("0x1234", [USDC])).toEqual([]);
    // a saturated bloom shows everything (a false positive the receipts settle)
    expect(tokensInBloom(`0x${"ff".repeat(256)}`, [USDC, USDT])).toEqual([USDC, USDT]);
  });
});

describe("the watcher never advances past doubtful data", () => {
  it("near the tip, logs are asked for by block hash; older blocks by range", async () => {
    const { chain, watcher } = setup(3);
    await watcher.tick();
    for (let i = 0; i < 10; i++) chain.mine();
    await watcher.tick();
    expect(chain.calls.logs).toBe(1); // the 7 blocks below the confirmation depth
    expect(chain.calls.logsByHash).toBe(3 + 1); // the newest 3, and the first tick's single block
  });

  it("eth_getLogs answering [] for the newest blocks: the receipts show the payment, it is credited", async () => {
    const { chain, store, watcher } = setup(3);
    await watcher.tick();
    const b = chain.mine([{ token: USDC, to: ALICE, value: 5n }]);
    chain.emptyLogsFrom = b.number; // a node behind the load balancer
    chain.mine();
    await watcher.tick();
    expect(store.active().map((d) => [d.credit.txHash, d.credit.amount])).toEqual([[b.payments[0].txHash, 5n]]);
    expect(chain.calls.blockReceipts).toBe(1); // only the block whose bloom shows a USDC Transfer
  });

  it("the same, by range (deeper than the confirmation depth)", async () => {
    const { chain, store, watcher } = setup(2);
    await watcher.tick();
    const b = chain.mine([{ token: USDT, to: ALICE, value: 9n }]);
    for (let i = 0; i < 5; i++) chain.mine();
    chain.emptyLogsFrom = b.number;
    await watcher.tick();
    expect(store.active().map((d) => d.credit.amount)).toEqual([9n]);
  });

  it("when the node cannot say either (no receipts), the checkpoint stays before the block; credited once it can", async () => {
    const { chain, store, watcher } = setup(3);
    await watcher.tick();
    const before = chain.tip;
    const b = chain.mine([{ token: USDC, to: ALICE, value: 5n }]);
    chain.mine();
    chain.emptyLogsFrom = b.number;
    chain.noReceiptsFrom = b.number;
    for (let i = 0; i < 3; i++) {
      await expect(watcher.tick()).rejects.toBeInstanceOf(InconsistentChainError);
      expect(store.checkpoint!.number).toBe(before.number);
    }
    expect(store.deposits.size).toBe(0);
    chain.emptyLogsFrom = Infinity; // the node caught up
    chain.noReceiptsFrom = Infinity;
    await watcher.tick();
    expect(store.active().map((d) => d.credit.amount)).toEqual([5n]);
    expect(store.checkpoint!.number).toBe(chain.tip.number);
  });

  it("a bloom false positive (no such log in the receipts) does not stop the watcher", async () => {
    const { chain, store, watcher } = setup(3);
    await watcher.tick();
    const b = chain.mine();
    const real = chain.blocks.bind(chain);
    chain.blocks = async (numbers, withTxs) => (await real(numbers, withTxs)).map((x) => (x && x.number === b.number ? { ...x, logsBloom: `0x${"ff".repeat(256)}` as Hex } : x));
    await watcher.tick();
    expect(store.checkpoint!.number).toBe(b.number);
    expect(chain.calls.blockReceipts).toBe(1);
  });

  it("a head older than one already seen is not acted on", async () => {
    const { chain, store, watcher } = setup(3);
    await watcher.tick();
    chain.mine();
    chain.mine();
    await watcher.tick();
    const cp = store.checkpoint!;
    chain.mine();
    chain.headLag = 2; // a node two blocks behind answers now
    const r = await watcher.tick();
    expect(r.staleHead).toBe(true);
    expect(store.checkpoint).toEqual(cp);
    chain.headLag = 0;
    expect((await watcher.tick()).checkpoint).toBe(chain.tip.number);
  });

  it("an answer from another chain id is never data", async () => {
    const { chain, store, watcher } = setup(3);
    await watcher.tick();
    const cp = store.checkpoint!;
    chain.mine([{ token: USDC, to: ALICE, value: 1n }]);
    chain.chainId = 1;
    await expect(watcher.tick()).rejects.toThrow(/chain id 1/);
    expect(store.checkpoint).toEqual(cp);
    expect(store.deposits.size).toBe(0);
  });

  it("a reorg deeper than the confirmation depth pauses the network until the chain comes back or an operator resumes it", async () => {
    const { chain, store, watcher } = setup(3);
    await watcher.tick();
    chain.mine([{ token: USDC, to: ALICE, value: 1n }]);
    for (let i = 0; i < 5; i++) chain.mine();
    await watcher.tick();
    expect(store.active().map((d) => d.status)).toEqual(["confirmed"]);
    const cp = store.checkpoint!;
    chain.reorg(9);
    await expect(watcher.tick()).rejects.toBeInstanceOf(DeepReorgError);
    expect(store.paused?.reason).toMatch(/reorg deeper than/);
    chain.mine();
    expect(await watcher.tick()).toMatchObject({ paused: true, blocks: 0 });
    expect(store.checkpoint).toEqual(cp);
    expect(store.active().map((d) => d.status)).toEqual(["confirmed"]);
    store.paused!.resume = true; // the operator's go-ahead
    const r = await watcher.tick();
    expect(r.paused).toBeUndefined();
    expect(store.paused).toBeNull();
    expect(store.checkpoint!.number).toBe(chain.tip.number);
    expect(store.checkpoint!.hash).toBe(chain.tip.hash);
  });

  it("a receiver loaded late gets the blocks since its creation rescanned; one created later gets nothing", async () => {
    const { chain, store, receivers, watcher } = setup(2);
    await watcher.tick();
    const b = chain.mine([{ token: USDC, to: LATE, value: 3n }]);
    const created = b.timestamp * 1000 - 500; // the row was created just before the payment's block
    chain.mine();
    chain.mine();
    await watcher.tick();
    expect(store.deposits.size).toBe(0); // not watched yet
    receivers.addLate(LATE, created);
    const r = await watcher.tick();
    expect(r.rescued).toBe(1);
    const [d] = store.active();
    expect(d.credit).toMatchObject({ to: LATE, amount: 3n, blockNumber: b.number, blockHash: b.hash });
    expect(d.status).toBe("confirmed"); // already 2 deep
    // a receiver created after every block scanned: nothing to rescan
    receivers.addLate(ALICE, (chain.tip.timestamp + 3600) * 1000);
    const calls = chain.calls.logsTo;
    await watcher.tick();
    expect(chain.calls.logsTo).toBe(calls);
  });
});
