// The TON watcher: credits to permanent deposit addresses and to checkouts' receivers (wallet v4r2
// at m/44'/607'/i', ./keys; a checkout's until its monitoring window ends, recorded with the
// checkout set), read block by block. Per masterchain block after the cursor: its header (gen_utime), its shard
// blocks (`shards`) and each shard block's transactions in full (getBlockTransactionsExt, paged);
// every transaction's account is looked up in an in-memory map of the deposit addresses (raw
// form), so a pass costs 2 + (shard blocks) calls per masterchain block, whatever the number of
// addresses. Matched transactions are read for credits (./credits): TON from incoming internal
// messages (not bounced, not bounced back), jettons from transfer_notification when its sender is
// the owner's jetton wallet of an accepted master, checked against the master's
// get_wallet_address (one cached get-method per owner and master). A jetton transfer sent without
// forward TON makes no notification and is not seen (as with other processors). The gas the hot
// wallet sends a deposit wallet for a jetton sweep (comment `gas: <memo>`, matching its
// gas_funding row), or a checkout's receiver for its jetton forward (`gas: <checkout id>`), is not
// income; any other TON, payouts from the hot wallet included, is.
//
// A masterchain block is final once produced (no reorgs): a credit is recorded and confirmed in
// the same database transaction that moves the cursor, so a crash repeats the block and
// recording is idempotent (deposits are unique by transaction hash). The cursor is
// network_status.head_number/head_time: the last masterchain block read and its gen_utime, which
// GET /v1/system/sync reports (`last_block_gen_utime`, `is_synced`). With no deposit address it
// follows the head. The address map is read again each pass (only rows newer than the last read),
// after the head: an address handed out later can only be paid in a later block.
import { Address, Cell, loadTransaction, type Transaction } from "@ton/core";
import { and, eq, gte, sql } from "drizzle-orm";
import { networkStatus, outboundTxs, receivers, withdrawals } from "@/db/schema";
import type { ChainConfig } from "@/lib/config";
import { networkSpec } from "@/lib/config/networks";
import { db } from "@/lib/db/client";
import { announceAndEvaluate, confirmDeposits, noChanges, upsertDeposits, type DepositInsert } from "@/lib/deposits/record";
import { logger } from "@/lib/log/logger";
import type { NetworkWatcher } from "@/lib/worker/network-runner";
import { tonFriendly, tonKey, tonTokenForm } from "./address";
import { jettonWalletOf, tonApi, type TonApi } from "./client";
import { incomingOf } from "./credits";
import { tonHotWallet } from "./hot";
import { SWEEP_GAS_PREFIX } from "./withdrawals";

/** masterchain blocks read per pass at most; a pass further behind says so */
const MAX_BLOCKS_PER_PASS = 32;
/** shard blocks walked back per shard and masterchain block at most (a shard that produced more is read from its newest) */
const MAX_SHARD_GAP = 16;
const TX_PAGE = 256;
/** receivers created this long before the last read are read again (commit order is not creation order) */
const RELOAD_OVERLAP_MS = 60_000;

type BlockIdExt = { workchain: number; shard: string; seqno: number; root_hash: string; file_hash: string };
type RawTx = { data: string; transaction_id: { lt: string; hash: string } };
type Watched = { id: string; merchantId: string; address: string; checkoutId: string | null; watchUntil: Date | null };
/** an accepted jetton: its code, master, and the form deposits record it in (./address tonTokenForm) */
type Jetton = { code: string; master: Address; token: string };

export type TonPassResult = { blocks: number; transactions: number; recorded: number; behind: boolean };

export class TonWatcher {
  private readonly api: TonApi;
  private readonly log;
  private readonly jettons: Jetton[];
  private readonly nativeCode: string | null;
  /** deposit addresses by raw form */
  private watched = new Map<string, Watched>();
  private loadedUntil: Date | null = null;
  /** the newest shard block read per shard ("wc:shard") */
  private readonly shardSeen = new Map<string, number>();

  constructor(readonly chain: ChainConfig, opts: { api?: TonApi } = {}) {
    if (chain.family !== "ton") throw new Error(`${chain.key} is not a TON network`);
    this.api = opts.api ?? tonApi(chain);
    this.log = logger.child({ network: chain.key });
    const spec = networkSpec(chain.network);
    this.nativeCode = spec?.assets.find((a) => a.contract === null && a.code in chain.assets)?.code ?? null;
    this.jettons = (spec?.assets ?? []).flatMap((a) => {
      const c = chain.assets[a.code];
      return a.contract !== null && c ? [{ code: a.code, master: Address.parse(c), token: tonTokenForm(c) }] : [];
    });
  }

  async tick(): Promise<TonPassResult> {
    const info = await this.api.call<{ last: BlockIdExt }>("getMasterchainInfo", {});
    const head = info.last.seqno;
    await this.loadWatched();
    const cursor = await this.cursor();
    const result: TonPassResult = { blocks: 0, transactions: 0, recorded: 0, behind: false };
    if (this.watched.size === 0 || cursor === null) {
      // nothing to credit (or a first pass): the cursor follows the head
      if (cursor !== head) await this.save(null, head, await this.genUtime(head));
      return result;
    }
    const to = Math.min(head, cursor + MAX_BLOCKS_PER_PASS);
    result.behind = to < head;
    for (let seqno = cursor + 1; seqno <= to; seqno++) {
      const r = await this.block(seqno);
      result.blocks++;
      result.transactions += r.transactions;
      result.recorded += r.recorded;
    }
    return result;
  }

  async recordError(err: unknown): Promise<void> {
    const message = err instanceof Error ? err.message.split("\n")[0].slice(0, 500) : String(err);
    await db().update(networkStatus).set({ lastError: message })
      .where(and(eq(networkStatus.network, this.chain.network), eq(networkStatus.livemode, this.chain.livemode))).catch(() => {});
  }

  reset(): void {
    this.shardSeen.clear();
  }

  /** One masterchain block: its shard blocks' transactions to deposit addresses, recorded with the cursor. */
  private async block(seqno: number): Promise<{ transactions: number; recorded: number }> {
    const time = await this.genUtime(seqno);
    const { shards } = await this.api.call<{ shards: BlockIdExt[] }>("shards", { seqno });
    const matched: { tx: Transaction; hash: string; address: Watched; seqno: number }[] = [];
    let transactions = 0;
    for (const shard of shards) {
      const k = `${shard.workchain}:${shard.shard}`;
      const seen = this.shardSeen.get(k);
      const from = seen !== undefined && shard.seqno - seen <= MAX_SHARD_GAP ? seen + 1 : shard.seqno;
      for (let s = from; s <= shard.seqno; s++) {
        for (const raw of await this.shardTransactions(shard.workchain, shard.shard, s)) {
          transactions++;
          const tx = loadTransaction(Cell.fromBase64(raw.data).beginParse());
          const account = `${shard.workchain}:${tx.address.toString(16).padStart(64, "0")}`;
          const w = this.watched.get(account);
          // a checkout's receiver is watched until its monitoring window ends (permanent addresses: always)
          if (w && (w.watchUntil === null || w.watchUntil.getTime() > time * 1000)) matched.push({ tx, hash: tx.hash().toString("hex"), address: w, seqno });
        }
      }
      this.shardSeen.set(k, shard.seqno);
    }
    const values: DepositInsert[] = [];
    const timeOf = new Map<string, Date>();
    for (const m of matched) {
      const v = await this.creditOf(m.tx, m.hash, m.address, seqno);
      if (!v) continue;
      values.push(v);
      timeOf.set(`${v.txHash}:${v.logIndex}`, new Date(time * 1000));
    }
    const recorded = await this.save(values, seqno, time, timeOf);
    return { transactions, recorded };
  }

  private async creditOf(tx: Transaction, hash: string, to: Watched, seqno: number): Promise<DepositInsert | null> {
    const inc = incomingOf(tx);
    if (!inc) return null;
    const testOnly = !this.chain.livemode;
    const base = {
      merchantId: to.merchantId, livemode: this.chain.livemode, network: this.chain.network, chainId: null,
      txHash: hash, blockNumber: BigInt(seqno), blockHash: String(seqno), toAddress: to.address,
      fromAddress: inc.from ? tonFriendly(inc.from, { testOnly }) : null, amount: inc.amount, comment: inc.comment,
      receiverId: to.id, checkoutId: to.checkoutId,
    };
    if (inc.kind === "ton") {
      if (!this.nativeCode) return null;
      // the gas the hot wallet sends for a jetton sweep is not income (a payout from the hot wallet to a deposit address is)
      if (await this.isSweepGas(inc, to)) return null;
      return { ...base, logIndex: -1, tokenAddress: null, assetCode: this.nativeCode };
    }
    const owner = Address.parse(to.address);
    for (const j of this.jettons) {
      // only the owner's own jetton wallet of an accepted master can notify a real transfer
      if ((await jettonWalletOf(this.chain, j.master, owner)).equals(inc.senderWallet)) {
        return { ...base, logIndex: 0, tokenAddress: j.token, assetCode: j.code };
      }
    }
    this.log.warn({ tx: hash, to: to.address, sender: inc.senderWallet.toRawString() }, "ton: transfer_notification from a wallet that is not the owner's jetton wallet of an accepted master: ignored");
    return null;
  }

  /**
   * TON from the hot wallet carrying `gas: <memo>` that a gas_funding row of that sweep sent to this
   * address, with this value; or `gas: <checkout id>` that a checkout's forward funded its receiver with.
   */
  private async isSweepGas(inc: { from: Address | null; amount: bigint; comment: string | null }, to: Watched): Promise<boolean> {
    if (!inc.from || !inc.comment?.startsWith(SWEEP_GAS_PREFIX)) return false;
    const hot = await tonHotWallet();
    if (!hot || tonKey(hot) !== inc.from.toRawString()) return false;
    if (to.checkoutId !== null) {
      if (inc.comment.slice(SWEEP_GAS_PREFIX.length) !== to.checkoutId) return false;
      const [row] = await db().select({ id: outboundTxs.id }).from(outboundTxs)
        .where(and(eq(outboundTxs.network, this.chain.network), eq(outboundTxs.livemode, this.chain.livemode), eq(outboundTxs.purpose, "gas_funding"),
          eq(outboundTxs.checkoutId, to.checkoutId), eq(outboundTxs.toAddress, to.address), eq(outboundTxs.amount, inc.amount)))
        .limit(1);
      return Boolean(row);
    }
    const [row] = await db().select({ id: outboundTxs.id }).from(outboundTxs)
      .innerJoin(withdrawals, eq(withdrawals.id, outboundTxs.withdrawalId))
      .where(and(eq(outboundTxs.network, this.chain.network), eq(outboundTxs.livemode, this.chain.livemode), eq(outboundTxs.purpose, "gas_funding"),
        eq(outboundTxs.toAddress, to.address), eq(outboundTxs.amount, inc.amount), eq(withdrawals.memo, inc.comment.slice(SWEEP_GAS_PREFIX.length))))
      .limit(1);
    return Boolean(row);
  }

  private async shardTransactions(workchain: number, shard: string, seqno: number): Promise<RawTx[]> {
    const out: RawTx[] = [];
    let after: { lt: string; hash: string } | undefined;
    for (;;) {
      const page = await this.api.call<{ incomplete: boolean; transactions: RawTx[] }>("getBlockTransactionsExt", {
        workchain, shard, seqno, count: TX_PAGE,
        ...(after ? { after_lt: after.lt, after_hash: after.hash } : {}),
      });
      out.push(...page.transactions);
      if (!page.incomplete || page.transactions.length === 0) return out;
      const last = page.transactions[page.transactions.length - 1].transaction_id;
      after = { lt: last.lt, hash: last.hash };
    }
  }

  private async genUtime(seqno: number): Promise<number> {
    const h = await this.api.call<{ gen_utime: number }>("getBlockHeader", { workchain: -1, shard: "-9223372036854775808", seqno });
    return h.gen_utime;
  }

  /** Deposit addresses and checkout receivers of this mode: new ones since the last read. */
  private async loadWatched(): Promise<void> {
    const since = this.loadedUntil ? new Date(this.loadedUntil.getTime() - RELOAD_OVERLAP_MS) : null;
    const now = new Date();
    const rows = await db().select({ id: receivers.id, merchantId: receivers.merchantId, address: receivers.address, checkoutId: receivers.checkoutId, watchUntil: receivers.watchUntil })
      .from(receivers)
      .where(and(eq(receivers.family, "ton"), eq(receivers.livemode, this.chain.livemode),
        ...(since ? [gte(receivers.createdAt, since)] : [])));
    for (const r of rows) this.watched.set(tonKey(r.address), r);
    this.loadedUntil = now;
  }

  private async cursor(): Promise<number | null> {
    const [row] = await db().select({ head: networkStatus.headNumber }).from(networkStatus)
      .where(and(eq(networkStatus.network, this.chain.network), eq(networkStatus.livemode, this.chain.livemode)));
    return row ? Number(row.head) : null;
  }

  /** Records the credits of block `seqno` (confirmed: a masterchain block is final) and moves the cursor to it, in one transaction. */
  private async save(values: DepositInsert[] | null, seqno: number, time: number, timeOf = new Map<string, Date>()): Promise<number> {
    return db().transaction(async (tx) => {
      const changes = noChanges();
      if (values?.length) {
        changes.recorded = await upsertDeposits(tx, values, timeOf);
        changes.confirmed = await confirmDeposits(tx, changes.recorded.map((r) => r.row.id));
        for (const { row } of changes.recorded) {
          this.log.info({ tx: row.txHash, to: row.toAddress, asset: row.assetCode, amount: row.amount.toString() }, "ton deposit-address credit");
        }
      }
      const status = { chainId: null, headNumber: BigInt(seqno), headHash: String(seqno), headTime: new Date(time * 1000), checkedAt: sql`now()`, lastError: null };
      await tx.insert(networkStatus).values({ network: this.chain.network, livemode: this.chain.livemode, ...status })
        .onConflictDoUpdate({ target: [networkStatus.network, networkStatus.livemode], set: status });
      if (changes.recorded.length) await announceAndEvaluate(tx, changes);
      return changes.recorded.length;
    });
  }
}

export function tonNetworkWatcher(chain: ChainConfig): NetworkWatcher {
  const w = new TonWatcher(chain);
  return {
    async tick() {
      const r = await w.tick();
      return { again: r.behind };
    },
    reset: () => w.reset(),
    recordError: (err) => w.recordError(err),
  };
}
