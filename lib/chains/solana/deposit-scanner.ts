// Credits to Solana receivers of ours (derived at m/44'/501'/i'/0'): permanent deposit addresses,
// and the receivers of seed-004 payments (a plain transfer to an address of the payment's own,
// forwarded to the merchant by ./forward). Solana Pay's reference keys are receivers too, but the
// watcher credits their payments (./watcher) and this scan leaves them out. A receiver
// may be paid SOL (to the address) or an SPL token (to a token account it owns, normally its
// associated token account), and there is no account all such transfers share; polling each
// address would make a pass cost grow with the number of addresses. So the scanner reads blocks:
// per pass, one getBlocks over the slots since its cursor and one getBlock per produced slot
// (`accounts` detail: account keys with pre/post lamport and token balances, no instructions),
// then matches every transaction's account keys and token-balance owners against the deposit
// addresses in one indexed query. A pass costs 1 + (new slots) RPC calls and one query, whatever
// the number of addresses (the chain's pace sets it, at most MAX_SLOTS_PER_PASS slots a pass).
//
// Amounts come from the balances the node reports before and after (./credits), never from
// instructions. A credit is recorded when its block is `confirmed` and confirmed once its
// signature is `finalized` (getSignatureStatuses over the seen deposits: one call per 256 of them);
// one whose signature the node no longer knows long after its slot was finalized is reverted (its
// block was dropped). The cursor (solana_cursors, address BLOCK_CURSOR, signature = the slot's
// blockhash) is the last slot read; it follows the head while no deposit address exists.
import type { ConfirmedTransactionMeta, Connection, VersionedAccountsModeBlockResponse } from "@solana/web3.js";
import { and, eq, gt, inArray, isNull, or, sql } from "drizzle-orm";
import { deposits, receivers, solanaCursors } from "@/db/schema";
import type { ChainConfig } from "@/lib/config";
import { db } from "@/lib/db/client";
import { announceAndEvaluate, confirmDeposits, noChanges, upsertDeposits, type DepositInsert } from "@/lib/deposits/record";
import type { logger } from "@/lib/log/logger";
import type { SolanaAsset } from "./assets";
import { creditsFrom, type SolanaTxView } from "./credits";

/** solana_cursors.address of the deposit scanner's block cursor (not a base58 key: never an account) */
export const BLOCK_CURSOR = "#deposit-blocks";
/** slots read per pass at most; a pass further behind says so (the runner runs the next one at once) */
const MAX_SLOTS_PER_PASS = 64;
/** account keys matched per query (a busy block names tens of thousands) */
const CANDIDATE_PAGE = 10_000;
/** getSignatureStatuses takes at most this many signatures */
const STATUS_PAGE = 256;
/** a seen deposit whose signature the node does not know this many slots after finalization is reverted */
const DROPPED_AFTER_SLOTS = 300;

/** Receivers this scan credits, of one mode: ours and still watched, not a Solana Pay reference (the watcher's). */
function scanned(livemode: boolean) {
  return and(
    eq(receivers.family, "solana"), eq(receivers.livemode, livemode),
    or(isNull(receivers.watchUntil), gt(receivers.watchUntil, sql`now()`)),
    sql`not exists (select 1 from solana_payment_requests q where q.receiver_id = ${receivers.id})`,
  );
}

export type ScanResult = { slots: number; recorded: number; confirmed: number; reverted: number; behind: boolean };

export class DepositScanner {
  constructor(
    private readonly chain: ChainConfig,
    private readonly conn: Connection,
    private readonly assets: readonly SolanaAsset[],
    private readonly log: typeof logger,
  ) {}

  /** One pass up to `head` (the confirmed slot the watcher just recorded). */
  async pass(head: number): Promise<ScanResult> {
    const result: ScanResult = { slots: 0, recorded: 0, confirmed: 0, reverted: 0, behind: false };
    const cursor = await this.cursor();
    if (!(await this.anyAddress())) {
      // nothing to credit: the cursor follows the head (one slot behind: an address created while this
      // pass looked may be paid in the head's slot), so the first address is read from its creation on
      if (cursor === null || cursor < head - 1) await this.saveCursor(head - 1, "");
      return result;
    }
    const from = cursor === null ? head - 1 : cursor + 1;
    const to = Math.min(head, from + MAX_SLOTS_PER_PASS - 1);
    if (from <= to) {
      result.behind = to < head;
      const slots = await this.conn.getBlocks(from, to, "confirmed");
      const views: (SolanaTxView & { blockHash: string })[] = [];
      let lastHash = "";
      for (const slot of slots) {
        const block = await this.conn.getBlock(slot, { transactionDetails: "accounts", rewards: false, maxSupportedTransactionVersion: 0, commitment: "confirmed" }) as VersionedAccountsModeBlockResponse | null;
        if (!block) continue; // skipped slot
        lastHash = block.blockhash;
        for (const t of block.transactions) {
          if (!t.meta || t.meta.err) continue;
          views.push({
            signature: t.transaction.signatures[0], slot, blockTime: block.blockTime ?? null, meta: t.meta as ConfirmedTransactionMeta,
            keys: t.transaction.accountKeys.map((k) => k.pubkey.toBase58()), blockHash: block.blockhash,
          });
        }
      }
      result.slots = slots.length;
      result.recorded = await this.record(views);
      // the last block read; slots after it with no block yet are asked again next pass
      if (slots.length) await this.saveCursor(slots[slots.length - 1], lastHash);
      else if (to < head) await this.saveCursor(to, ""); // skipped slots below the confirmed head stay skipped
    }
    const c = await this.confirm();
    result.confirmed = c.confirmed;
    result.reverted = c.reverted;
    return result;
  }

  private async anyAddress(): Promise<boolean> {
    const [row] = await db().select({ id: receivers.id }).from(receivers).where(scanned(this.chain.livemode)).limit(1);
    return Boolean(row);
  }

  /** Matches the transactions' accounts against the scanned receivers; records what they were paid. */
  private async record(views: readonly (SolanaTxView & { blockHash: string })[]): Promise<number> {
    if (views.length === 0) return 0;
    const candidates = new Set<string>();
    for (const v of views) {
      for (const k of v.keys) candidates.add(k);
      for (const b of v.meta?.postTokenBalances ?? []) if (b.owner) candidates.add(b.owner);
    }
    const keys = [...candidates];
    const addresses: { id: string; merchantId: string; address: string; checkoutId: string | null }[] = [];
    for (let i = 0; i < keys.length; i += CANDIDATE_PAGE) {
      addresses.push(...await db().select({ id: receivers.id, merchantId: receivers.merchantId, address: receivers.address, checkoutId: receivers.checkoutId })
        .from(receivers).where(and(scanned(this.chain.livemode), inArray(receivers.address, keys.slice(i, i + CANDIDATE_PAGE)))));
    }
    if (addresses.length === 0) return 0;
    const values: DepositInsert[] = [];
    const timeOf = new Map<string, Date>();
    for (const v of views) {
      const owners = new Set([...v.keys, ...(v.meta?.postTokenBalances ?? []).map((b) => b.owner ?? "")]);
      for (const r of addresses) {
        if (!owners.has(r.address)) continue;
        for (const c of creditsFrom(v, r.address, this.assets, { solIndex: "key" })) {
          timeOf.set(`${c.signature}:${c.accountIndex}`, c.blockTime);
          values.push({
            merchantId: r.merchantId, livemode: this.chain.livemode, network: this.chain.network, chainId: null,
            txHash: c.signature, logIndex: c.accountIndex, blockNumber: BigInt(c.slot), blockHash: v.blockHash,
            fromAddress: c.from, toAddress: r.address, tokenAddress: c.mint, assetCode: c.assetCode, amount: c.amount,
            receiverId: r.id, checkoutId: r.checkoutId,
          });
        }
      }
    }
    if (values.length === 0) return 0;
    return db().transaction(async (tx) => {
      const changes = noChanges();
      changes.recorded = await upsertDeposits(tx, values, timeOf);
      await announceAndEvaluate(tx, changes);
      for (const { row } of changes.recorded) {
        this.log.info({ signature: row.txHash, to: row.toAddress, asset: row.assetCode, amount: row.amount.toString(), sessionId: row.checkoutId ?? undefined },
          row.checkoutId ? "solana payment credit" : "solana deposit-address credit");
      }
      return changes.recorded.length;
    });
  }

  /** Seen credits this scan recorded: confirmed once finalized, reverted when their block was dropped. */
  private async confirm(): Promise<{ confirmed: number; reverted: number }> {
    const seen = await db().select({ id: deposits.id, txHash: deposits.txHash, slot: deposits.blockNumber }).from(deposits)
      .where(and(eq(deposits.network, this.chain.network), eq(deposits.livemode, this.chain.livemode), eq(deposits.status, "seen"),
        sql`not exists (select 1 from solana_payment_requests q where q.receiver_id = ${deposits.receiverId})`));
    if (seen.length === 0) return { confirmed: 0, reverted: 0 };
    const signatures = [...new Set(seen.map((d) => d.txHash))];
    const finalized = new Set<string>();
    const unknown = new Set<string>();
    for (let i = 0; i < signatures.length; i += STATUS_PAGE) {
      const page = signatures.slice(i, i + STATUS_PAGE);
      const { value } = await this.conn.getSignatureStatuses(page, { searchTransactionHistory: true });
      value.forEach((st, j) => {
        if (st?.confirmationStatus === "finalized" && !st.err) finalized.add(page[j]);
        else if (!st) unknown.add(page[j]);
      });
    }
    const finalSlot = unknown.size ? await this.conn.getSlot("finalized") : 0;
    const toConfirm = seen.filter((d) => finalized.has(d.txHash)).map((d) => d.id);
    const toRevert = seen.filter((d) => unknown.has(d.txHash) && Number(d.slot) + DROPPED_AFTER_SLOTS < finalSlot).map((d) => d.id);
    if (toConfirm.length === 0 && toRevert.length === 0) return { confirmed: 0, reverted: 0 };
    return db().transaction(async (tx) => {
      const changes = noChanges();
      changes.confirmed = await confirmDeposits(tx, toConfirm);
      if (toRevert.length) {
        changes.reverted = await tx.update(deposits).set({ status: "reverted", revertedAt: sql`now()` })
          .where(and(inArray(deposits.id, toRevert), eq(deposits.status, "seen"))).returning();
        this.log.warn({ deposits: changes.reverted.map((d) => d.txHash) }, "solana credits dropped from the chain: reverted");
      }
      await announceAndEvaluate(tx, changes);
      return { confirmed: changes.confirmed.length, reverted: changes.reverted.length };
    });
  }

  private async cursor(): Promise<number | null> {
    const [row] = await db().select({ slot: solanaCursors.slot }).from(solanaCursors)
      .where(and(eq(solanaCursors.network, this.chain.network), eq(solanaCursors.livemode, this.chain.livemode), eq(solanaCursors.address, BLOCK_CURSOR)));
    return row ? Number(row.slot) : null;
  }

  private async saveCursor(slot: number, blockHash: string): Promise<void> {
    const values = { signature: blockHash, slot: BigInt(slot), updatedAt: new Date() };
    await db().insert(solanaCursors).values({ network: this.chain.network, livemode: this.chain.livemode, address: BLOCK_CURSOR, ...values })
      .onConflictDoUpdate({ target: [solanaCursors.network, solanaCursors.livemode, solanaCursors.address], set: values });
  }
}
