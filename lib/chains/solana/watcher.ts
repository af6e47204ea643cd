// The Solana watcher (DOMAIN.md "Chain watching"). Solana Pay transfers go straight to the
// merchant's wallet and carry a unique reference key; the watcher does not poll each reference
// (that cost grew with the number of open sessions) but the few addresses the payments land on:
// per distinct recipient among the active requests, its associated token account of every
// accepted mint, any other token account of an accepted mint it owns (getTokenAccountsByOwner,
// refreshed every TOKEN_ACCOUNTS_REFRESH_MS), and the wallet itself when SOL is accepted. Per
// address and pass, one getSignaturesForAddress(`confirmed`, `until` = the address's cursor)
// returns what is new; each new transaction is fetched once (getTransaction) and its account keys
// are matched against the active references (one indexed query per pass that saw new
// transactions; nothing per reference). So a pass costs 2 + (watched addresses) RPC calls plus
// one per new transaction to a merchant, and two small database reads, whatever the number of
// open sessions.
//
// Safety as before: only a transaction carrying a request's reference credits that request, and
// amounts come from pre/post balances (./credits). A transaction is recorded as a deposit when
// seen at `confirmed`, and the deposit is confirmed once the signature is `finalized`; recording,
// confirming and the checkout's evaluation go through the same code as EVM (lib/deposits/record,
// lib/checkout/evaluate). The cursor (table solana_cursors) is the newest *finalized* signature
// handled, so confirmed-only ones are read again until they finalize, and a restarted worker goes
// on from there. An address without a cursor (or with a stale one) is read back to the oldest
// active request's creation (minus SINCE_MARGIN_MS): nothing older can carry a live reference.
// References of finished checkouts stay matched until their monitoring window ends, so late
// payments are recorded. PUT /check (checkCheckout) still asks for one checkout's references
// directly. Permanent deposit addresses (custody, not Solana Pay) are read block by block by
// ./deposit-scanner at the start of each pass: 1 + (new slots) calls, whatever their number.
// Funds go straight to the merchant, so there is nothing to forward: once finalized, this
// network's counted deposits are a delivered settlement group (direct), its delivery being the
// payer's own transaction; the checkout succeeds when no other group is open.
import { AccountLayout, getAssociatedTokenAddressSync, TOKEN_PROGRAM_ID } from "@solana/spl-token";
import { PublicKey, type ConfirmedSignatureInfo, type Connection, type VersionedTransactionResponse } from "@solana/web3.js";
import { and, eq, gt, inArray, sql } from "drizzle-orm";
import { checkouts, deposits, networkStatus, receivers, settlementGroups as settlementGroupsTable, solanaCursors, solanaPaymentRequests } from "@/db/schema";
import { settlementGroups } from "@/lib/checkout/decide";
import { evaluateCheckout, paymentState } from "@/lib/checkout/evaluate";
import type { ChainConfig } from "@/lib/config";
import { db } from "@/lib/db/client";
import { announceAndEvaluate, confirmDeposits, noChanges, upsertDeposits, type DepositInsert } from "@/lib/deposits/record";
import type { Tx } from "@/lib/events/emit";
import { logger } from "@/lib/log/logger";
import { solanaAssets, type SolanaAsset } from "./assets";
import { solanaConnection } from "./connection";
import { creditsOf } from "./credits";
import { DepositScanner, type ScanResult } from "./deposit-scanner";

export type SolanaTickResult = {
  /** active references matched against (a pass) or looked up (a check) */
  references: number;
  /** addresses read with getSignaturesForAddress (a pass: the recipients' accounts; a check: its references) */
  addresses: number;
  recorded: number;
  confirmed: number;
  succeeded: number;
  /** the deposit-address scan of a pass (absent for a check) */
  deposits?: ScanResult;
};

type ActiveRequest = {
  checkoutStatus: string;
  receiverId: string;
  merchantId: string;
  checkoutId: string;
  reference: string;
  recipient: string;
};

type ActiveRecipient = { recipient: string; since: Date; references: number };

/** A watched address (token account or wallet) of a recipient, read back to `since` when it has no cursor. */
type WatchedAddress = { address: string; recipient: string; since: number };

type Cursor = { signature: string; slot: number };

type Done = { recorded: number; confirmed: number; succeeded: number };

/**
 * Signatures per page. By reference (PUT /check): pages per reference (newest first); anyone can
 * put a reference into transactions of their own, so a payment may sit behind others: finalized
 * ones that pay nothing are remembered (`irrelevant`) and skipped without another getTransaction.
 */
const SIGNATURE_PAGE = 100;
const MAX_PAGES = 10;
const MAX_IRRELEVANT = 100_000;
/** getSignaturesForAddress's largest page: a watched address reads its new signatures 1,000 at a time */
const ADDRESS_PAGE = 1000;
/** a request's transaction cannot be older than the request; this much slack covers clock skew */
const SINCE_MARGIN_MS = 10 * 60_000;
/** how often a recipient's token accounts are listed again (a non-associated account of an accepted mint) */
const TOKEN_ACCOUNTS_REFRESH_MS = 10 * 60_000;
/** a finalized signature whose transaction the node keeps answering null for is given up after this many passes */
const MAX_NULL_PASSES = 5;
const MAX_TX_CACHE = 10_000;

export class SolanaWatcher {
  private readonly conn: Connection;
  private readonly log;
  private readonly assets: SolanaAsset[];
  /** block hashes of slots already looked up (deposits keep their block's hash) */
  private readonly blockHashes = new Map<number, string>();
  /** "<reference>:<signature>" of finalized transactions that carry the reference but pay nothing to its recipient (PUT /check) */
  private readonly irrelevant = new Set<string>();
  /** per watched address, the newest finalized signature handled (mirrors solana_cursors; loaded once) */
  private cursors: Map<string, Cursor> | undefined;
  /** transactions fetched but not yet behind a cursor (confirmed ones are read again until finalized) */
  private readonly txCache = new Map<string, VersionedTransactionResponse>();
  /** passes a signature's transaction came back null */
  private readonly nullPasses = new Map<string, number>();
  /** per recipient: its token accounts of accepted mints other than the associated ones, and when they were listed */
  private readonly tokenAccounts = new Map<string, { accounts: string[]; at: number }>();
  private readonly scanner: DepositScanner;

  constructor(readonly chain: ChainConfig, opts: { connection?: Connection } = {}) {
    if (chain.family !== "solana") throw new Error(`${chain.key} is not a Solana network`);
    this.conn = opts.connection ?? solanaConnection(chain);
    this.log = logger.child({ network: chain.key });
    this.assets = solanaAssets(chain);
    this.scanner = new DepositScanner(chain, this.conn, this.assets, this.log);
  }

  /**
   * One pass: the head, then every watched address's new signatures; new transactions are matched
   * against the active references in memory, recorded at `confirmed`, confirmed at `finalized`.
   */
  async tick(): Promise<SolanaTickResult> {
    const head = await this.recordHead();
    // permanent deposit addresses: read block by block (./deposit-scanner), whatever their number
    const scan = await this.scanner.pass(head);
    const recipients = await this.activeRecipients();
    const result: SolanaTickResult = { references: 0, addresses: 0, recorded: 0, confirmed: 0, succeeded: 0, deposits: scan };
    for (const r of recipients) result.references += r.references;
    if (recipients.length === 0) return result;
    const watched = await this.watchedAddresses(recipients);
    result.addresses = watched.length;
    const cursors = await this.loadCursors();

    const news: { w: WatchedAddress; sigs: ConfirmedSignatureInfo[] }[] = [];
    for (const w of watched) {
      const sigs = await this.newSignatures(w, cursors.get(w.address));
      if (sigs.length) news.push({ w, sigs });
    }
    if (news.length === 0) return result;

    // each new transaction once; then the active requests among their account keys, in one query
    // (read after the signatures: a request created while they were read is matched too)
    const txs = new Map<string, VersionedTransactionResponse | null>();
    for (const { sigs } of news) {
      for (const s of sigs) if (!s.err && !txs.has(s.signature)) txs.set(s.signature, await this.transaction(s));
    }
    const keysOf = new Map<string, string[]>();
    for (const [signature, tx] of txs) if (tx) keysOf.set(signature, accountKeys(tx));
    const byReference = new Map((await this.activeRequests({ references: [...new Set([...keysOf.values()].flat())] })).map((r) => [r.reference, r]));

    const handled = new Map<string, boolean>();
    for (const { w, sigs } of news) {
      let cursor: ConfirmedSignatureInfo | undefined;
      let blocked = false;
      for (const s of [...sigs].reverse()) { // oldest first
        let ok = handled.get(s.signature);
        if (ok === undefined) {
          ok = await this.handle(s, txs.get(s.signature) ?? null, keysOf.get(s.signature) ?? [], byReference, result);
          handled.set(s.signature, ok);
        }
        if (!ok || s.confirmationStatus !== "finalized") blocked = true;
        if (!blocked) cursor = s;
      }
      if (cursor) await this.saveCursor(w.address, cursor, sigs);
    }
    return result;
  }

  /** PUT /v1/sessions/{id}/check: looks at one checkout's references now (getSignaturesForAddress per reference). */
  async checkCheckout(checkoutId: string): Promise<SolanaTickResult> {
    const requests = await this.activeRequests({ checkoutId });
    const result: SolanaTickResult = { references: requests.length, addresses: requests.length, recorded: 0, confirmed: 0, succeeded: 0 };
    for (const r of requests) {
      for (const s of await this.referenceSignatures(r.reference)) {
        if (s.err || this.irrelevant.has(`${r.reference}:${s.signature}`)) continue;
        add(result, await this.process(r, s));
      }
    }
    return result;
  }

  /** The reference's signatures at `confirmed`, newest first, up to MAX_PAGES pages. */
  private async referenceSignatures(reference: string): Promise<ConfirmedSignatureInfo[]> {
    const key = new PublicKey(reference);
    const out: ConfirmedSignatureInfo[] = [];
    for (let page = 0; page < MAX_PAGES; page++) {
      const before = out.length ? out[out.length - 1].signature : undefined;
      const sigs = await this.conn.getSignaturesForAddress(key, { limit: SIGNATURE_PAGE, before }, "confirmed");
      out.push(...sigs);
      if (sigs.length < SIGNATURE_PAGE) return out;
    }
    this.log.warn({ reference, signatures: out.length }, "reference carries more transactions than one check reads; older ones are not looked at");
    return out;
  }

  /**
   * The addresses payments to the active requests' recipients land on: per recipient, the
   * associated token account of each accepted mint, its other token accounts of those mints, and
   * the wallet when SOL is accepted. Their number depends on the recipients, not on the sessions.
   */
  private async watchedAddresses(recipients: readonly ActiveRecipient[]): Promise<WatchedAddress[]> {
    const since = new Map(recipients.map((r) => [r.recipient, r.since.getTime() - SINCE_MARGIN_MS]));
    const out = new Map<string, WatchedAddress>();
    const mints = this.assets.filter((a) => a.mint !== null).map((a) => a.mint!);
    const now = Date.now();
    for (const [recipient, from] of since) {
      let owner: PublicKey;
      try {
        owner = new PublicKey(recipient);
      } catch {
        this.log.warn({ recipient }, "a Solana payment request's recipient is not a public key: not watched");
        continue;
      }
      const put = (address: string) => {
        const w = out.get(address);
        if (!w) out.set(address, { address, recipient, since: from });
        else w.since = Math.min(w.since, from);
      };
      if (this.assets.some((a) => a.mint === null)) put(recipient);
      for (const mint of mints) put(getAssociatedTokenAddressSync(new PublicKey(mint), owner, true).toBase58());
      if (mints.length) {
        let listed = this.tokenAccounts.get(recipient);
        if (!listed || now - listed.at >= TOKEN_ACCOUNTS_REFRESH_MS) {
          try {
            listed = { accounts: await this.listTokenAccounts(owner, new Set(mints)), at: now };
          } catch (err) {
            // some providers refuse this call: the associated accounts are watched anyway; asked again in a minute
            this.log.warn({ recipient, err: err instanceof Error ? err.message : String(err) }, "listing the recipient's token accounts failed");
            listed = { accounts: listed?.accounts ?? [], at: now - TOKEN_ACCOUNTS_REFRESH_MS + 60_000 };
          }
          this.tokenAccounts.set(recipient, listed);
        }
        for (const a of listed.accounts) put(a);
      }
    }
    for (const k of this.tokenAccounts.keys()) if (!since.has(k)) this.tokenAccounts.delete(k);
    return [...out.values()];
  }

  /** The recipient's SPL token accounts of the accepted mints (a payer may send to one that is not the associated one). */
  private async listTokenAccounts(owner: PublicKey, mints: ReadonlySet<string>): Promise<string[]> {
    const { value } = await this.conn.getTokenAccountsByOwner(owner, { programId: TOKEN_PROGRAM_ID }, "confirmed");
    return value.flatMap(({ pubkey, account }) => {
      if (account.data.length !== AccountLayout.span) return [];
      return mints.has(AccountLayout.decode(account.data).mint.toBase58()) ? [pubkey.toBase58()] : [];
    });
  }

  /**
   * The address's signatures newer than its cursor (at `confirmed`: finalized ones and those only
   * confirmed so far), newest first, not older than `since`. Pages until the cursor is reached.
   */
  private async newSignatures(w: WatchedAddress, cursor: Cursor | undefined): Promise<ConfirmedSignatureInfo[]> {
    const key = new PublicKey(w.address);
    const out: ConfirmedSignatureInfo[] = [];
    for (;;) {
      const before = out.length ? out[out.length - 1].signature : undefined;
      const page = await this.conn.getSignaturesForAddress(key, { limit: ADDRESS_PAGE, before, until: cursor?.signature }, "confirmed");
      for (const s of page) {
        if (s.blockTime != null && s.blockTime * 1000 < w.since) return out; // older than every live reference
        out.push(s);
      }
      if (page.length < ADDRESS_PAGE) return out;
    }
  }

  /** The signature's transaction (cached until a cursor passes it); null when the node has none (yet). */
  private async transaction(s: ConfirmedSignatureInfo): Promise<VersionedTransactionResponse | null> {
    const cached = this.txCache.get(s.signature);
    if (cached) return cached;
    const tx = await this.conn.getTransaction(s.signature, { commitment: "confirmed", maxSupportedTransactionVersion: 0 });
    if (tx) {
      if (this.txCache.size >= MAX_TX_CACHE) this.txCache.clear();
      this.txCache.set(s.signature, tx);
    }
    return tx;
  }

  /**
   * Processes every active request whose reference the transaction carries. False when it could
   * not be looked at (the node has no transaction for it yet): the cursor does not pass it.
   */
  private async handle(s: ConfirmedSignatureInfo, tx: VersionedTransactionResponse | null, keys: readonly string[],
    byReference: ReadonlyMap<string, ActiveRequest>, result: SolanaTickResult): Promise<boolean> {
    if (s.err) return true; // a failed transaction moves nothing
    if (!tx) {
      const n = (this.nullPasses.get(s.signature) ?? 0) + 1;
      this.nullPasses.set(s.signature, n);
      if (s.confirmationStatus === "finalized" && n >= MAX_NULL_PASSES) {
        this.nullPasses.delete(s.signature);
        this.log.warn({ signature: s.signature, passes: n }, "the node has no transaction for a finalized signature: passed over");
        return true;
      }
      return false;
    }
    this.nullPasses.delete(s.signature);
    for (const k of new Set(keys)) {
      const r = byReference.get(k);
      if (r) add(result, await this.process(r, s, tx));
    }
    return true;
  }

  private async loadCursors(): Promise<Map<string, Cursor>> {
    if (!this.cursors) {
      const rows = await db().select({ address: solanaCursors.address, signature: solanaCursors.signature, slot: solanaCursors.slot })
        .from(solanaCursors).where(and(eq(solanaCursors.network, this.chain.network), eq(solanaCursors.livemode, this.chain.livemode)));
      this.cursors = new Map(rows.map((r) => [r.address, { signature: r.signature, slot: Number(r.slot) }]));
    }
    return this.cursors;
  }

  /** Moves the address's cursor to `s` (every older signature handled and finalized); forgets what is now behind it. */
  private async saveCursor(address: string, s: ConfirmedSignatureInfo, sigs: readonly ConfirmedSignatureInfo[]): Promise<void> {
    const values = { signature: s.signature, slot: BigInt(s.slot), updatedAt: new Date() };
    await db().insert(solanaCursors).values({ network: this.chain.network, livemode: this.chain.livemode, address, ...values })
      .onConflictDoUpdate({ target: [solanaCursors.network, solanaCursors.livemode, solanaCursors.address], set: values });
    this.cursors?.set(address, { signature: s.signature, slot: s.slot });
    for (const x of sigs.slice(sigs.indexOf(s))) this.txCache.delete(x.signature);
  }

  async recordError(err: unknown): Promise<void> {
    const message = err instanceof Error ? err.message.split("\n")[0].slice(0, 500) : String(err);
    await db().update(networkStatus).set({ lastError: message })
      .where(and(eq(networkStatus.network, this.chain.network), eq(networkStatus.livemode, this.chain.livemode))).catch(() => {});
  }

  /** network_status: the confirmed slot, its blockhash and time (sync status and expiry read it); returns the slot. */
  private async recordHead(): Promise<number> {
    const { context, value } = await this.conn.getLatestBlockhashAndContext("confirmed");
    const time = await this.conn.getBlockTime(context.slot).catch(() => null);
    const values = {
      chainId: null, headNumber: BigInt(context.slot), headHash: value.blockhash,
      headTime: time ? new Date(time * 1000) : new Date(), checkedAt: sql`now()`, lastError: null,
    };
    await db().insert(networkStatus).values({ network: this.chain.network, livemode: this.chain.livemode, ...values })
      .onConflictDoUpdate({ target: [networkStatus.network, networkStatus.livemode], set: values });
    return context.slot;
  }

  /** Requests still inside their monitoring window, of this mode: of one checkout, or with one of these references. */
  private async activeRequests(only: { checkoutId?: string; references?: readonly string[] }): Promise<ActiveRequest[]> {
    if (only.references && only.references.length === 0) return [];
    return db().select({
      checkoutStatus: checkouts.status,
      receiverId: solanaPaymentRequests.receiverId, merchantId: receivers.merchantId, checkoutId: solanaPaymentRequests.checkoutId,
      reference: solanaPaymentRequests.reference, recipient: solanaPaymentRequests.recipient,
    }).from(solanaPaymentRequests)
      .innerJoin(receivers, eq(receivers.id, solanaPaymentRequests.receiverId))
      .innerJoin(checkouts, eq(checkouts.id, solanaPaymentRequests.checkoutId))
      .where(and(eq(receivers.livemode, this.chain.livemode), eq(receivers.family, "solana"), gt(receivers.watchUntil, sql`now()`),
        only.checkoutId ? eq(solanaPaymentRequests.checkoutId, only.checkoutId) : undefined,
        only.references ? inArray(solanaPaymentRequests.reference, [...only.references]) : undefined));
  }

  /** The distinct recipients of the requests inside their monitoring window: when the oldest was made, how many. */
  private async activeRecipients(): Promise<ActiveRecipient[]> {
    const rows = await db().select({
      recipient: solanaPaymentRequests.recipient,
      since: sql<number>`extract(epoch from min(${solanaPaymentRequests.createdAt}))::float8`.as("since"),
      references: sql<number>`count(*)::int`.as("references"),
    }).from(solanaPaymentRequests)
      .innerJoin(receivers, eq(receivers.id, solanaPaymentRequests.receiverId))
      .where(and(eq(receivers.livemode, this.chain.livemode), eq(receivers.family, "solana"), gt(receivers.watchUntil, sql`now()`)))
      .groupBy(solanaPaymentRequests.recipient);
    return rows.map((r) => ({ recipient: r.recipient, since: new Date(Number(r.since) * 1000), references: Number(r.references) }));
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
  private async process(r: ActiveRequest, s: ConfirmedSignatureInfo, fetched?: VersionedTransactionResponse): Promise<Done> {
    const existing = await db().select({ id: deposits.id, status: deposits.status }).from(deposits)
      .where(and(eq(deposits.network, this.chain.network), eq(deposits.livemode, this.chain.livemode), eq(deposits.txHash, s.signature), eq(deposits.receiverId, r.receiverId)));
    const finalized = s.confirmationStatus === "finalized";
    if (existing.length > 0 && (existing.every((d) => d.status !== "seen") || !finalized)) return { recorded: 0, confirmed: 0, succeeded: 0 };

    let values: DepositInsert[] = [];
    const timeOf = new Map<string, Date>();
    if (existing.length === 0) {
      const tx = fetched ?? await this.conn.getTransaction(s.signature, { commitment: "confirmed", maxSupportedTransactionVersion: 0 });
      if (!tx) return { recorded: 0, confirmed: 0, succeeded: 0 };
      const credits = creditsOf(tx, r.recipient, this.assets);
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
    const open = settlementGroups(state.summary, state.groups)
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

function add(result: Done, d: Done): void {
  result.recorded += d.recorded;
  result.confirmed += d.confirmed;
  result.succeeded += d.succeeded;
}

/** The transaction's account keys, static and loaded (where a reference key can be). */
function accountKeys(tx: VersionedTransactionResponse): string[] {
  return [
    ...tx.transaction.message.staticAccountKeys.map((k) => k.toBase58()),
    ...(tx.meta?.loadedAddresses?.writable ?? []).map((k) => k.toBase58()),
    ...(tx.meta?.loadedAddresses?.readonly ?? []).map((k) => k.toBase58()),
  ];
}
