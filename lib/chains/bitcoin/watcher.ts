// The Bitcoin / Litecoin watcher (one per configured chain): new blocks and the node's mempool,
// matched in memory against the family's receivers of the chain's mode (a map from address to
// receiver, topped up with receivers created since the last pass: a block costs the same whatever
// the number of addresses).
//
// Blocks: each block above the last processed one (chain_blocks keeps the recent ones) is read in
// full once; its outputs paying our addresses are recorded as deposits in that block, and seen
// deposits reach `confirmed` at the chain's depth (block height ≤ head − N + 1). A block whose
// parent is not the one we processed is a reorg: walk back through chain_blocks to the common
// ancestor, revert the seen deposits above it (confirmed ones are final), go on from there.
//
// Mempool: every pass lists the node's mempool and reads each transaction it has not seen yet, so a
// payment is recorded as detected (seen, block_hash '' and block_number 0: not in a block) within a
// pass of its broadcast; mined, it moves to its block. One that leaves the mempool without being
// mined — replaced (RBF) or double-spent — is reverted and never credited: a pending deposit whose
// transaction is in neither the mempool nor a processed block, while the node's best block is the
// one this pass processed, is gone.
import { and, desc, eq, gt, inArray, lte, ne, sql } from "drizzle-orm";
import { chainBlocks, deposits, networkStatus, receivers, utxoOutputs } from "@/db/schema";
import { config, type ChainConfig } from "@/lib/config";
import { nativeAssetCode } from "@/lib/config/networks";
import { db } from "@/lib/db/client";
import { announceAndEvaluate, noChanges, revertAbove, upsertDeposits, type DepositInsert } from "@/lib/deposits/record";
import type { Tx } from "@/lib/events/emit";
import { HOT_WALLET_INDEX } from "@/lib/keys/derive";
import { xpubOf } from "@/lib/keys/roots";
import { logger } from "@/lib/log/logger";
import type { NetworkWatcher } from "@/lib/worker/network-runner";
import { addressOfScript } from "./address";
import { bitcoinAddressAt } from "./keys";
import { utxoRpc, UtxoRpcError, type UtxoRpc } from "./rpc";

/** blocks read per pass at most (a pass further behind says so: the runner runs the next at once) */
const MAX_BLOCKS_PER_PASS = 20;
/** mempool transactions read per pass at most (the rest next pass) */
const MAX_MEMPOOL_READS = 500;
/** processed blocks kept for reorg detection, beyond the confirmation depth */
const KEEP_EXTRA_BLOCKS = 10;
/** receivers are read again from this far below the highest index seen (indexes are taken in one order, committed in another) */
const INDEX_LOOKBACK = 1000n;
/** the block hash of a deposit seen in the mempool (not in a block yet) */
export const MEMPOOL = "";

type Receiver = { id: string; merchantId: string; checkoutId: string | null };
/** Litecoin's MWEB outputs (`ismweb`: a peg-in's, an MWEB transaction's) carry no value, index or script: nobody's canonical address */
type RpcTx = { txid: string; vout: { value?: number | string; n?: number; scriptPubKey?: { hex: string }; ismweb?: boolean }[] };
/** a mempool transaction's native segwit outputs, kept while it is in the mempool (matched again against receivers created later) */
type PoolOutputs = { n: number; address: string; value: number | string }[];
type RpcBlock = { hash: string; height: number; previousblockhash?: string; time: number; tx: RpcTx[] };
type Stored = { number: number; hash: string };

/** a coin amount in the node's JSON (8 decimals) → base units, exactly */
export function toUnits(value: number | string): bigint {
  const s = typeof value === "number" ? value.toFixed(8) : value;
  const [whole, frac = ""] = s.split(".");
  const neg = whole.startsWith("-");
  const units = BigInt(whole.replace("-", "")) * 100_000_000n + BigInt((frac + "00000000").slice(0, 8));
  return neg ? -units : units;
}

/**
 * getblock with its transactions, in the node's form: Bitcoin/Litecoin Core take a verbosity (2),
 * bcoin two booleans. The form is learnt from the node's own answer and kept once a call succeeds;
 * a call the node never answered (a timeout, a 5xx or 429 from a proxy) decides nothing. (Deciding
 * on any failure once left a Litecoin Core watcher asking in bcoin's form until its worker
 * restarted: found by the simulation, issue 19.)
 */
export function blockReader(rpc: UtxoRpc): (hash: string) => Promise<RpcBlock> {
  const forms: ((hash: string) => unknown[])[] = [(h) => [h, 2], (h) => [h, true, true]];
  let known: ((hash: string) => unknown[]) | undefined;
  return async (hash) => {
    if (known) return rpc.call<RpcBlock>("getblock", known(hash));
    let first: unknown;
    for (const form of forms) {
      try {
        const b = await rpc.call<RpcBlock>("getblock", form(hash));
        known = form;
        return b;
      } catch (e) {
        // only an answer of the node's (an error object) says the form may be wrong
        if (!(e instanceof UtxoRpcError) || e.code === null) throw e;
        first ??= e;
      }
    }
    throw first;
  };
}

export type UtxoPass = { blocks: number; recorded: number; confirmed: number; reverted: number; mempool: number; behind: boolean };

export class UtxoWatcher {
  private readonly rpc: UtxoRpc;
  private readonly hrp: string;
  private readonly asset: string;
  private readonly log: typeof logger;
  private readonly addresses = new Map<string, Receiver>();
  private maxIndex = -1n;
  private rebuiltAt = 0;
  /** receivers added since the last mempool pass (a payment to them may already sit in the mempool) */
  private added: string[] = [];
  /** mempool transactions already read (the last listing's), with their outputs */
  private mempoolSeen = new Map<string, PoolOutputs>();
  /**
   * The outputs of the blocks we processed and keep (by height), to match receivers loaded after
   * their block was processed: a receiver committed while a pass ran, paid and mined at once, is not
   * in the map that pass used, and its payment is no longer in the mempool the next pass reads
   * (found by the simulation, issue 19). Read from the node once per start (a previous worker's).
   */
  private recent = new Map<number, { hash: string; time: Date; txs: { txid: string; outputs: PoolOutputs }[] }>();
  private recentLoaded = false;
  private readonly block: (hash: string) => Promise<RpcBlock>;

  constructor(readonly chain: ChainConfig) {
    if (!chain.rpcUrls[0]) throw new Error(`${chain.key}: no RPC URL`);
    if (!chain.bech32Hrp) throw new Error(`${chain.key}: not a Bitcoin-family chain`);
    this.rpc = utxoRpc(chain.rpcUrls[0]);
    this.block = blockReader(this.rpc);
    this.hrp = chain.bech32Hrp;
    this.asset = nativeAssetCode(chain.network)!;
    this.log = logger.child({ network: chain.key });
  }

  reset(): void {
    this.mempoolSeen = new Map();
    this.recent.clear();
    this.recentLoaded = false;
  }

  async recordError(err: unknown): Promise<void> {
    const message = err instanceof Error ? err.message.split("\n")[0].slice(0, 500) : String(err);
    await db().update(networkStatus).set({ lastError: message })
      .where(and(eq(networkStatus.network, this.chain.network), eq(networkStatus.livemode, this.chain.livemode))).catch(() => {});
  }

  async tick(): Promise<UtxoPass> {
    const pass: UtxoPass = { blocks: 0, recorded: 0, confirmed: 0, reverted: 0, mempool: 0, behind: false };
    const added = await this.refreshAddresses();
    if (added.length) pass.recorded += await this.matchKeptBlocks(added);
    const head = await this.rpc.call<number>("getblockcount");
    let last = await this.lastProcessed();
    if (!last) {
      // a fresh start follows the node from its tip's parent (what came before is not ours to credit)
      const from = Math.max(head - 1, 0);
      last = { number: from, hash: await this.rpc.call<string>("getblockhash", [from]) };
      await db().insert(chainBlocks).values({ network: this.chain.network, livemode: this.chain.livemode, number: BigInt(from), hash: last.hash, parentHash: "", timestamp: new Date() })
        .onConflictDoNothing();
    }
    // a head at or below ours that differs, or a next block that does not link: walk back
    const ours = head >= last.number ? await this.rpc.call<string>("getblockhash", [last.number]) : null;
    if (ours !== last.hash) {
      pass.reverted += await this.reorg(last);
      last = (await this.lastProcessed())!;
    }
    const to = Math.min(head, last.number + MAX_BLOCKS_PER_PASS);
    for (let n = last.number + 1; n <= to; n++) {
      const block = await this.block(await this.rpc.call<string>("getblockhash", [n]));
      if (block.previousblockhash !== last.hash) {
        // the chain moved under us: the next pass walks back
        pass.reverted += await this.reorg(last);
        return pass;
      }
      const r = await this.recordBlock(block);
      pass.blocks++;
      pass.recorded += r.recorded;
      pass.confirmed += r.confirmed;
      last = { number: block.height, hash: block.hash };
      if (n === to) await this.recordHead(block);
    }
    pass.behind = to < head;
    if (!pass.behind) {
      const m = await this.mempoolPass(last.hash);
      pass.mempool = m.recorded;
      pass.reverted += m.reverted;
    }
    if (pass.blocks === 0 && !pass.behind) await this.touchHead(last);
    return pass;
  }

  /**
   * Receivers of the family and mode created since the last pass: those above the highest index
   * seen, less a margin (a receiver whose transaction took its index earlier may commit later), and
   * all of them again every TOLLGATE_RECEIVERS_REBUILD_SECONDS.
   */
  private async refreshAddresses(): Promise<string[]> {
    const rebuild = Date.now() - this.rebuiltAt > config().receiversRebuildMs;
    const from = rebuild ? -1n : this.maxIndex - INDEX_LOOKBACK;
    const rows = await db().select({ id: receivers.id, merchantId: receivers.merchantId, checkoutId: receivers.checkoutId, address: receivers.address, index: receivers.derivationIndex })
      .from(receivers)
      .where(and(eq(receivers.family, "bitcoin"), eq(receivers.livemode, this.chain.livemode), gt(receivers.derivationIndex, from)));
    if (rebuild) this.rebuiltAt = Date.now();
    const fresh: string[] = [];
    for (const r of rows) {
      if (!this.addresses.has(r.address)) fresh.push(r.address);
      this.addresses.set(r.address, { id: r.id, merchantId: r.merchantId, checkoutId: r.checkoutId });
      if (r.index > this.maxIndex) this.maxIndex = r.index;
    }
    this.added.push(...fresh);
    return fresh;
  }

  /** Keeps a processed block's outputs while the block is kept (KEEP_EXTRA_BLOCKS past the depth). */
  private remember(height: number, hash: string, time: Date, txs: { txid: string; outputs: PoolOutputs }[]): void {
    this.recent.set(height, { hash, time, txs });
    const below = height - Math.max(this.chain.confirmations, 1) - KEEP_EXTRA_BLOCKS;
    for (const n of this.recent.keys()) if (n <= below) this.recent.delete(n);
  }

  /**
   * Outputs paying `addresses` (receivers just loaded) in the blocks we processed and keep: recorded
   * as found in their block, confirmed when already deep enough. A payment already recorded is
   * left as it is.
   */
  private async matchKeptBlocks(addresses: readonly string[]): Promise<number> {
    if (!this.recentLoaded) {
      const kept = await db().select({ number: chainBlocks.number, hash: chainBlocks.hash, timestamp: chainBlocks.timestamp }).from(chainBlocks)
        .where(and(eq(chainBlocks.network, this.chain.network), eq(chainBlocks.livemode, this.chain.livemode)));
      for (const k of kept) {
        if (this.recent.has(Number(k.number))) continue;
        // a failed read fails the pass (the next one reads again); a block the node no longer has there is the reorg's business
        const b = await this.block(k.hash);
        if (b.hash !== k.hash) continue;
        this.recent.set(Number(k.number), { hash: k.hash, time: k.timestamp, txs: b.tx.map((t) => ({ txid: t.txid, outputs: this.outputs(t) })) });
      }
      this.recentLoaded = true;
    }
    const wanted = new Set(addresses);
    const values: DepositInsert[] = [];
    const timeOf = new Map<string, Date>();
    let top = -1;
    for (const [n, b] of this.recent) {
      top = Math.max(top, n);
      const txs = b.txs.map((t) => ({ txid: t.txid, outputs: t.outputs.filter((o) => wanted.has(o.address)) })).filter((t) => t.outputs.length);
      for (const v of this.credits(txs, { number: BigInt(n), hash: b.hash })) {
        values.push(v);
        timeOf.set(`${v.txHash}:${v.logIndex}`, b.time);
      }
    }
    if (values.length === 0) return 0;
    const recorded = await db().transaction(async (tx) => {
      const { changes, recorded: rows } = await this.recordCredits(tx, values, timeOf, top);
      await announceAndEvaluate(tx, changes);
      return rows.length;
    });
    if (recorded) this.log.warn({ receivers: addresses.length, recorded }, "receivers loaded after their block was processed: payments found in the kept blocks");
    return recorded;
  }

  private hot: string | null = null;
  /** the chain's hot wallet (index 0), once a key root exists */
  private async hotWallet(): Promise<string | null> {
    if (!this.hot) {
      const root = await xpubOf("bitcoin");
      this.hot = root ? bitcoinAddressAt(root, HOT_WALLET_INDEX, this.chain.key) : null;
    }
    return this.hot;
  }

  private async lastProcessed(): Promise<Stored | null> {
    const [row] = await db().select({ number: chainBlocks.number, hash: chainBlocks.hash }).from(chainBlocks)
      .where(and(eq(chainBlocks.network, this.chain.network), eq(chainBlocks.livemode, this.chain.livemode)))
      .orderBy(desc(chainBlocks.number)).limit(1);
    return row ? { number: Number(row.number), hash: row.hash } : null;
  }


  /** A transaction's native segwit outputs, with this chain's prefix. */
  private outputs(t: RpcTx): PoolOutputs {
    const out: PoolOutputs = [];
    for (const o of t.vout) {
      if (o.ismweb || !o.scriptPubKey?.hex || o.n === undefined || o.value === undefined) continue;
      const address = addressOfScript(o.scriptPubKey.hex, this.hrp);
      if (address) out.push({ n: o.n, address, value: o.value });
    }
    return out;
  }

  /** The outputs of these transactions that pay our addresses. */
  private credits(txs: readonly { txid: string; outputs: PoolOutputs }[], at: { number: bigint; hash: string }): DepositInsert[] {
    const out: DepositInsert[] = [];
    for (const t of txs) {
      for (const o of t.outputs) {
        const r = this.addresses.get(o.address);
        if (!r) continue;
        const amount = toUnits(o.value);
        if (amount <= 0n) continue;
        out.push({
          merchantId: r.merchantId, livemode: this.chain.livemode, network: this.chain.network, chainId: null,
          txHash: t.txid, logIndex: o.n, blockNumber: at.number, blockHash: at.hash, fromAddress: null, toAddress: o.address,
          tokenAddress: null, assetCode: this.asset, amount, receiverId: r.id, checkoutId: r.checkoutId,
        });
      }
    }
    return out;
  }

  /** Records one block: its credits, the confirmations it brings, the block itself; one transaction. */
  private async recordBlock(block: RpcBlock): Promise<{ recorded: number; confirmed: number }> {
    const txs = block.tx.map((t) => ({ txid: t.txid, outputs: this.outputs(t) }));
    const values = this.credits(txs, { number: BigInt(block.height), hash: block.hash });
    // outputs paying the hot wallet (the operator's fee float, our change): spendable by ./spend
    const hot = await this.hotWallet();
    const float = hot ? txs.flatMap((t) => t.outputs.filter((o) => o.address === hot).map((o) => ({
      network: this.chain.network, livemode: this.chain.livemode, txid: t.txid, vout: o.n, address: hot,
      derivationIndex: BigInt(HOT_WALLET_INDEX), amount: toUnits(o.value), origin: "float" as const,
    }))).filter((o) => o.amount > 0n) : [];
    const time = new Date(block.time * 1000);
    const depth = Math.max(this.chain.confirmations, 1);
    return db().transaction(async (tx) => {
      // a reorg may take one away again: the spender checks each output against the node's UTXO set first
      if (float.length) await tx.insert(utxoOutputs).values(float).onConflictDoNothing();
      const { changes, recorded } = await this.recordCredits(tx, values, new Map(values.map((v) => [`${v.txHash}:${v.logIndex}`, time])), block.height);
      await tx.insert(chainBlocks).values({
        network: this.chain.network, livemode: this.chain.livemode, number: BigInt(block.height), hash: block.hash,
        parentHash: block.previousblockhash ?? "", timestamp: time,
      }).onConflictDoUpdate({ target: [chainBlocks.network, chainBlocks.livemode, chainBlocks.number], set: { hash: block.hash, parentHash: block.previousblockhash ?? "", timestamp: time } });
      await tx.delete(chainBlocks).where(and(eq(chainBlocks.network, this.chain.network), eq(chainBlocks.livemode, this.chain.livemode),
        lte(chainBlocks.number, BigInt(block.height - depth - KEEP_EXTRA_BLOCKS))));
      await announceAndEvaluate(tx, changes);
      for (const { row } of recorded) this.log.info({ txid: row.txHash, vout: row.logIndex, to: row.toAddress, amount: row.amount.toString(), block: block.height }, "utxo deposit in a block");
      return { recorded: recorded.length, confirmed: changes.confirmed.length };
    }).then((r) => { this.remember(block.height, block.hash, time, txs); return r; });
  }

  /**
   * Records credits found in blocks (a payment seen in the mempool was announced then: moving into
   * its block is no news) and confirms what is deep enough below `height`; the caller announces.
   */
  private async recordCredits(tx: Tx, values: readonly DepositInsert[], timeOf: ReadonlyMap<string, Date>, height: number) {
    const changes = noChanges();
    const pending = await this.pendingKeys(tx, values);
    const recorded = await upsertDeposits(tx, values, timeOf);
    changes.recorded = recorded.filter((r) => !pending.has(`${r.row.txHash}:${r.row.logIndex}`));
    changes.confirmed = await tx.update(deposits).set({ status: "confirmed", confirmedAt: sql`now()` })
      .where(and(
        eq(deposits.network, this.chain.network), eq(deposits.livemode, this.chain.livemode), eq(deposits.status, "seen"),
        ne(deposits.blockHash, MEMPOOL), lte(deposits.blockNumber, BigInt(height - Math.max(this.chain.confirmations, 1) + 1)),
      )).returning();
    return { changes, recorded };
  }

  /** Of these credits, the ones already recorded as seen in the mempool. */
  private async pendingKeys(tx: Tx, values: readonly DepositInsert[]): Promise<Set<string>> {
    if (values.length === 0) return new Set();
    const rows = await tx.select({ txHash: deposits.txHash, logIndex: deposits.logIndex }).from(deposits).where(and(
      eq(deposits.network, this.chain.network), eq(deposits.livemode, this.chain.livemode), eq(deposits.status, "seen"),
      eq(deposits.blockHash, MEMPOOL), inArray(deposits.txHash, [...new Set(values.map((v) => v.txHash))]),
    ));
    return new Set(rows.map((r) => `${r.txHash}:${r.logIndex}`));
  }

  /** Walks back from `last` to the block the node still has; reverts what was above it. */
  private async reorg(last: Stored): Promise<number> {
    const kept = await db().select({ number: chainBlocks.number, hash: chainBlocks.hash }).from(chainBlocks)
      .where(and(eq(chainBlocks.network, this.chain.network), eq(chainBlocks.livemode, this.chain.livemode)))
      .orderBy(desc(chainBlocks.number));
    let ancestor: Stored | null = null;
    for (const b of kept) {
      const theirs = await this.rpc.call<string>("getblockhash", [Number(b.number)]).catch(() => null);
      if (theirs === b.hash) { ancestor = { number: Number(b.number), hash: b.hash }; break; }
    }
    if (!ancestor) {
      // deeper than what we keep (deeper than the confirmation depth): start again below the oldest kept block
      const oldest = kept.length ? Number(kept[kept.length - 1].number) - 1 : last.number - 1;
      ancestor = { number: Math.max(oldest, 0), hash: await this.rpc.call<string>("getblockhash", [Math.max(oldest, 0)]) };
      this.log.error({ from: last.number, to: ancestor.number }, "reorg deeper than the blocks kept: going on from below them");
    }
    const a = ancestor;
    const reverted = await db().transaction(async (tx) => {
      const changes = noChanges();
      changes.reverted = await revertAbove(tx, this.chain.network, this.chain.livemode, a.number);
      await tx.delete(chainBlocks).where(and(eq(chainBlocks.network, this.chain.network), eq(chainBlocks.livemode, this.chain.livemode), gt(chainBlocks.number, BigInt(a.number))));
      await tx.insert(chainBlocks).values({ network: this.chain.network, livemode: this.chain.livemode, number: BigInt(a.number), hash: a.hash, parentHash: "", timestamp: new Date() })
        .onConflictDoNothing();
      await announceAndEvaluate(tx, changes);
      return changes.reverted.length;
    });
    this.log.warn({ from: last.number, ancestor: a.number, reverted }, "reorg: walked back to the common ancestor");
    // transactions of the dropped blocks are back in the mempool (or gone): read it afresh
    this.mempoolSeen = new Map();
    for (const n of this.recent.keys()) if (n > a.number) this.recent.delete(n);
    return reverted;
  }

  /** Unconfirmed payments: new mempool transactions recorded as seen; pending ones that left without a block reverted. */
  private async mempoolPass(processedTip: string): Promise<{ recorded: number; reverted: number }> {
    const txids = await this.rpc.call<string[]>("getrawmempool");
    const best = await this.rpc.call<string>("getbestblockhash");
    const inPool = new Set(txids);
    const fresh = txids.filter((t) => !this.mempoolSeen.has(t)).slice(0, MAX_MEMPOOL_READS);
    const read = new Map([...this.mempoolSeen].filter(([t]) => inPool.has(t)));
    // receivers created since the last pass: matched against the transactions already read
    const added = new Set(this.added);
    this.added = [];
    const txs = added.size ? [...read].map(([txid, outputs]) => ({ txid, outputs: outputs.filter((o) => added.has(o.address)) })).filter((t) => t.outputs.length) : [];
    for (const txid of fresh) {
      let t: RpcTx;
      try {
        t = await this.rpc.call<RpcTx>("getrawtransaction", [txid, true]);
      } catch {
        continue; // left the mempool since the listing
      }
      const outputs = this.outputs(t);
      read.set(txid, outputs);
      txs.push({ txid, outputs });
    }
    this.mempoolSeen = read;
    const values = this.addresses.size ? this.credits(txs, { number: 0n, hash: MEMPOOL }) : [];
    const now = new Date();
    return db().transaction(async (tx) => {
      const changes = noChanges();
      if (values.length) changes.recorded = await upsertDeposits(tx, values, new Map(values.map((v) => [`${v.txHash}:${v.logIndex}`, now])));
      // left the mempool without a block we processed: replaced or double-spent (only judged while the node's tip is ours)
      if (best === processedTip) {
        const pending = await tx.select({ id: deposits.id, txHash: deposits.txHash }).from(deposits).where(and(
          eq(deposits.network, this.chain.network), eq(deposits.livemode, this.chain.livemode), eq(deposits.status, "seen"), eq(deposits.blockHash, MEMPOOL)));
        const gone = pending.filter((d) => !inPool.has(d.txHash)).map((d) => d.id);
        if (gone.length) {
          changes.reverted = await tx.update(deposits).set({ status: "reverted", revertedAt: sql`now()` })
            .where(and(inArray(deposits.id, gone), eq(deposits.status, "seen"), eq(deposits.blockHash, MEMPOOL))).returning();
          this.log.warn({ txids: [...new Set(changes.reverted.map((d) => d.txHash))] }, "unconfirmed payments left the mempool without a block (replaced or double-spent): reverted");
        }
      }
      await announceAndEvaluate(tx, changes);
      for (const { row } of changes.recorded) this.log.info({ txid: row.txHash, vout: row.logIndex, to: row.toAddress, amount: row.amount.toString() }, "utxo deposit detected in the mempool");
      return { recorded: changes.recorded.length, reverted: changes.reverted.length };
    });
  }

  /** network_status: the processed head (sync status reads it). */
  private async recordHead(block: RpcBlock): Promise<void> {
    const values = { chainId: null, headNumber: BigInt(block.height), headHash: block.hash, headTime: new Date(block.time * 1000), checkedAt: sql`now()`, lastError: null };
    await db().insert(networkStatus).values({ network: this.chain.network, livemode: this.chain.livemode, ...values })
      .onConflictDoUpdate({ target: [networkStatus.network, networkStatus.livemode], set: values });
  }

  /** No new block: the head was checked now (its time stays the block's). */
  private async touchHead(last: Stored): Promise<void> {
    const updated = await db().update(networkStatus).set({ checkedAt: sql`now()`, lastError: null })
      .where(and(eq(networkStatus.network, this.chain.network), eq(networkStatus.livemode, this.chain.livemode), eq(networkStatus.headHash, last.hash)))
      .returning({ n: networkStatus.network });
    if (updated.length === 0) await this.recordHead(await this.block(last.hash));
  }
}

export function utxoNetworkWatcher(watcher: UtxoWatcher): NetworkWatcher {
  return {
    async tick() {
      const r = await watcher.tick();
      return { again: r.behind };
    },
    reset: () => watcher.reset(),
    recordError: (err) => watcher.recordError(err),
  };
}

