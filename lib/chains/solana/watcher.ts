// The Solana watcher (DOMAIN.md "Chain watching"): per active reference key,
// getSignaturesForAddress (confirmed) + getTransaction, amounts from pre/post balances
// (./credits). A transaction is recorded as a deposit when seen at `confirmed` and the deposit is
// confirmed once the signature is `finalized`; recording, confirming and the checkout's
// evaluation go through the same code as EVM (lib/deposits/record, lib/checkout/evaluate).
// Funds go straight to the merchant, so there is nothing to forward: once finalized, this
// network's counted deposits are a delivered settlement group (direct), its delivery being the
// payer's own transaction; the checkout succeeds when no other group is open.
import { PublicKey, type ConfirmedSignatureInfo, type Connection } from "@solana/web3.js";
import { and, eq, gt, sql } from "drizzle-orm";
import { checkouts, deposits, networkStatus, receivers, settlementGroups as settlementGroupsTable, solanaPaymentRequests } from "@/db/schema";
import { settlementGroups } from "@/lib/checkout/decide";
import { evaluateCheckout, paymentState } from "@/lib/checkout/evaluate";
import type { ChainConfig } from "@/lib/config";
import { db } from "@/lib/db/client";
import { announceAndEvaluate, confirmDeposits, noChanges, upsertDeposits, type DepositInsert } from "@/lib/deposits/record";
import type { Tx } from "@/lib/events/emit";
import { logger } from "@/lib/log/logger";
import { solanaAssets } from "./assets";
import { solanaConnection } from "./connection";
import { creditsOf } from "./credits";

export type SolanaTickResult = { references: number; recorded: number; confirmed: number; succeeded: number };

type ActiveRequest = {
  checkoutStatus: string;
  receiverId: string;
  merchantId: string;
  checkoutId: string;
  reference: string;
  recipient: string;
};

/**
 * Signatures per page and pages per reference one pass reads (newest first). Anyone can put a
 * reference into transactions of their own, so a payment may sit behind others: finalized ones
 * that pay nothing are remembered (`irrelevant`) and skipped without another getTransaction.
 */
const SIGNATURE_PAGE = 100;
const MAX_PAGES = 10;
const MAX_IRRELEVANT = 100_000;
/**
 * References of finished checkouts are still watched (a late payment is recorded, never lost)
 * but polled this rarely; open ones every pass.
 */
const IDLE_POLL_MS = 30_000;
const OPEN = new Set(["requires_payment_method", "waiting_payment", "processing"]);

export class SolanaWatcher {
  private readonly conn: Connection;
  private readonly log;
  /** block hashes of slots already looked up (deposits keep their block's hash) */
  private readonly blockHashes = new Map<number, string>();
  /** "<reference>:<signature>" of finalized transactions that carry the reference but pay nothing to its recipient */
  private readonly irrelevant = new Set<string>();
  /** when each idle reference was last polled */
  private readonly polledAt = new Map<string, number>();

  constructor(readonly chain: ChainConfig, opts: { connection?: Connection } = {}) {
    if (chain.family !== "solana") throw new Error(`${chain.key} is not a Solana network`);
    this.conn = opts.connection ?? solanaConnection(chain);
    this.log = logger.child({ network: chain.key });
  }

  async tick(): Promise<SolanaTickResult> {
    await this.recordHead();
    const now = Date.now();
    const active = await this.activeRequests();
    const live = new Set(active.map((r) => r.reference));
    for (const k of this.polledAt.keys()) if (!live.has(k)) this.polledAt.delete(k);
    const requests = active
      .filter((r) => OPEN.has(r.checkoutStatus) || now - (this.polledAt.get(r.reference) ?? 0) >= IDLE_POLL_MS);
    for (const r of requests) if (!OPEN.has(r.checkoutStatus)) this.polledAt.set(r.reference, now);
    return this.pass(requests);
  }

  /** PUT /v1/sessions/{id}/check: looks at one checkout's references now, as a pass would. */
  async checkCheckout(checkoutId: string): Promise<SolanaTickResult> {
    return this.pass(await this.activeRequests(checkoutId));
  }

  private async pass(requests: readonly ActiveRequest[]): Promise<SolanaTickResult> {
    const result: SolanaTickResult = { references: requests.length, recorded: 0, confirmed: 0, succeeded: 0 };
    for (const r of requests) {
      for (const s of await this.signatures(r.reference)) {
        if (s.err || this.irrelevant.has(`${r.reference}:${s.signature}`)) continue;
        const done = await this.process(r, s);
        result.recorded += done.recorded;
        result.confirmed += done.confirmed;
        result.succeeded += done.succeeded;
      }
    }
    return result;
  }

  /** The reference's signatures at `confirmed`, newest first, up to MAX_PAGES pages. */
  private async signatures(reference: string): Promise<ConfirmedSignatureInfo[]> {
    const key = new PublicKey(reference);
    const out: ConfirmedSignatureInfo[] = [];
    for (let page = 0; page < MAX_PAGES; page++) {
      const before = out.length ? out[out.length - 1].signature : undefined;
      const sigs = await this.conn.getSignaturesForAddress(key, { limit: SIGNATURE_PAGE, before }, "confirmed");
      out.push(...sigs);
      if (sigs.length < SIGNATURE_PAGE) return out;
    }
    this.log.warn({ reference, signatures: out.length }, "reference carries more transactions than one pass reads; older ones are not looked at");
    return out;
  }

  async recordError(err: unknown): Promise<void> {
    const message = err instanceof Error ? err.message.split("\n")[0].slice(0, 500) : String(err);
    await db().update(networkStatus).set({ lastError: message })
      .where(and(eq(networkStatus.network, this.chain.network), eq(networkStatus.livemode, this.chain.livemode))).catch(() => {});
  }

  /** network_status: the confirmed slot, its blockhash and time (sync status and expiry read it). */
  private async recordHead(): Promise<void> {
    const { context, value } = await this.conn.getLatestBlockhashAndContext("confirmed");
    const time = await this.conn.getBlockTime(context.slot).catch(() => null);
    const values = {
      chainId: null, headNumber: BigInt(context.slot), headHash: value.blockhash,
      headTime: time ? new Date(time * 1000) : new Date(), checkedAt: sql`now()`, lastError: null,
    };
    await db().insert(networkStatus).values({ network: this.chain.network, livemode: this.chain.livemode, ...values })
      .onConflictDoUpdate({ target: [networkStatus.network, networkStatus.livemode], set: values });
  }

  /** References still inside their monitoring window, of this mode (of one checkout when given). */
  private async activeRequests(checkoutId?: string): Promise<ActiveRequest[]> {
    return db().select({
      checkoutStatus: checkouts.status,
      receiverId: solanaPaymentRequests.receiverId, merchantId: receivers.merchantId, checkoutId: solanaPaymentRequests.checkoutId,
      reference: solanaPaymentRequests.reference, recipient: solanaPaymentRequests.recipient,
    }).from(solanaPaymentRequests)
      .innerJoin(receivers, eq(receivers.id, solanaPaymentRequests.receiverId))
      .innerJoin(checkouts, eq(checkouts.id, solanaPaymentRequests.checkoutId))
      .where(and(eq(receivers.livemode, this.chain.livemode), eq(receivers.family, "solana"), gt(receivers.watchUntil, sql`now()`),
        checkoutId ? eq(solanaPaymentRequests.checkoutId, checkoutId) : undefined));
  }

  private async blockHash(slot: number): Promise<string> {
    let h = this.blockHashes.get(slot);
    if (!h) {
      const block = await this.conn.getBlock(slot, { transactionDetails: "none", rewards: false, maxSupportedTransactionVersion: 0, commitment: "confirmed" });
      h = block?.blockhash ?? `slot:${slot}`;
      this.blockHashes.set(slot, h);
      if (this.blockHashes.size > 1000) this.blockHashes.delete(this.blockHashes.keys().next().value!);
    }
    return h;
  }

  /** Records the signature's credits if new, confirms them once finalized, settles the checkout when paid. */
  private async process(r: ActiveRequest, s: ConfirmedSignatureInfo): Promise<{ recorded: number; confirmed: number; succeeded: number }> {
    const existing = await db().select({ id: deposits.id, status: deposits.status }).from(deposits)
      .where(and(eq(deposits.network, this.chain.network), eq(deposits.livemode, this.chain.livemode), eq(deposits.txHash, s.signature), eq(deposits.receiverId, r.receiverId)));
    const finalized = s.confirmationStatus === "finalized";
    if (existing.length > 0 && (existing.every((d) => d.status !== "seen") || !finalized)) return { recorded: 0, confirmed: 0, succeeded: 0 };

    let values: DepositInsert[] = [];
    const timeOf = new Map<string, Date>();
    if (existing.length === 0) {
      const tx = await this.conn.getTransaction(s.signature, { commitment: "confirmed", maxSupportedTransactionVersion: 0 });
      if (!tx) return { recorded: 0, confirmed: 0, succeeded: 0 };
      const credits = creditsOf(tx, r.recipient, solanaAssets(this.chain));
      if (credits.length === 0) {
        this.log.debug({ signature: s.signature, reference: r.reference }, "transaction carries the reference but pays no accepted asset to the recipient");
        if (finalized) {
          if (this.irrelevant.size >= MAX_IRRELEVANT) this.irrelevant.clear();
          this.irrelevant.add(`${r.reference}:${s.signature}`);
        }
        return { recorded: 0, confirmed: 0, succeeded: 0 };
      }
      const blockHash = await this.blockHash(tx.slot);
      values = credits.map((c) => {
        timeOf.set(`${c.signature}:${c.accountIndex}`, c.blockTime);
        return {
          merchantId: r.merchantId, livemode: this.chain.livemode, network: this.chain.network, chainId: null,
          txHash: c.signature, logIndex: c.accountIndex, blockNumber: BigInt(c.slot), blockHash,
          fromAddress: c.from, toAddress: c.to, tokenAddress: c.mint, assetCode: c.assetCode, amount: c.amount,
          receiverId: r.receiverId, checkoutId: r.checkoutId,
        };
      });
    }

    return db().transaction(async (tx) => {
      const changes = noChanges();
      changes.recorded = await upsertDeposits(tx, values, timeOf);
      if (finalized) {
        const seen = await tx.select({ id: deposits.id }).from(deposits)
          .where(and(eq(deposits.network, this.chain.network), eq(deposits.livemode, this.chain.livemode), eq(deposits.txHash, s.signature), eq(deposits.status, "seen")));
        changes.confirmed = await confirmDeposits(tx, seen.map((d) => d.id));
      }
      await announceAndEvaluate(tx, changes);
      const succeeded = changes.confirmed.length > 0 ? await this.settle(tx, r.checkoutId) : false;
      if (changes.recorded.length || changes.confirmed.length) {
        this.log.info({ signature: s.signature, reference: r.reference, recorded: changes.recorded.length, confirmed: changes.confirmed.length, succeeded },
          "solana payment");
      }
      return { recorded: changes.recorded.length, confirmed: changes.confirmed.length, succeeded: succeeded ? 1 : 0 };
    });
  }

  /**
   * Direct settlement (DOMAIN.md "Settlement is per group"): the payer paid the merchant, so a group
   * of this network is delivered as soon as its counted deposits are finalized — its delivery is
   * the payer's own transaction. The decider then settles the checkout when no other group (on
   * another network, say) is still open.
   */
  private async settle(tx: Tx, checkoutId: string): Promise<boolean> {
    const state = await paymentState(checkoutId, { exec: tx, lock: true });
    if (!state) return false;
    const final = state.groups.map((g) => ({ network: g.network, receiverId: g.receiverId, assetCode: g.assetCode, status: g.status }));
    const open = settlementGroups(state.summary, final)
      .filter((g) => g.network === this.chain.network && g.state === "pending" && g.deposits.every((d) => d.status === "confirmed"));
    if (open.length) {
      await tx.insert(settlementGroupsTable).values(open.map((g) => {
        const primary = g.deposits.reduce((a, b) => (b.amount > a.amount ? b : a));
        const total = g.deposits.reduce((sum, d) => sum + d.amount, 0n);
        return {
          checkoutId, merchantId: state.checkout.merchantId, livemode: this.chain.livemode, network: this.chain.network, chainId: null,
          receiverId: g.receiverId, assetCode: g.assetCode, tokenAddress: primary.tokenAddress, mode: "direct" as const, status: "delivered" as const,
          depositedUnits: total, deliveredUnits: total, toAddress: primary.toAddress, txHash: primary.txHash,
        };
      })).onConflictDoNothing();
    }
    const evaluation = await evaluateCheckout(checkoutId, { tx });
    return evaluation?.transitionedFrom === "processing" && evaluation.checkout.status === "succeeded";
  }
}
