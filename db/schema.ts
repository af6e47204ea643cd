// Drizzle schema. Migrations under db/migrations are generated from this file by drizzle-kit
// (`npm run db:generate`) and applied at start-up and by `npm run db:migrate`.
import type { FamilyId } from "@/lib/chains/family";
import type { TeamRole } from "@/lib/team/roles";
import { sql } from "drizzle-orm";
import {
  type AnyPgColumn, bigint, boolean, check, customType, index, integer, jsonb, pgSequence, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid,
} from "drizzle-orm/pg-core";

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();

export const merchants = pgTable("merchants", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull(),
  logoUrl: text("logo_url"),
  accentColor: text("accent_color").notNull().default("#4f46e5"),
  defaultExpirySeconds: integer("default_expiry_seconds").notNull().default(3600),
  /** payment tolerance in basis points of the amount due (100 = 1 %) */
  toleranceBps: integer("tolerance_bps").notNull().default(0),
  /** what GET /v1/income totals (seed 001): everything received on deposit addresses, or what was swept to the hot wallet */
  incomeCountingSide: text("income_counting_side", { enum: ["deposit", "hot_wallet"] }).notNull().default("deposit"),
  /** seed 002 request signing: when set, /v2 requests must carry Signature = hex(HMAC-SHA256(secret, raw body)) */
  requestSigningSecret: text("request_signing_secret"),
  /**
   * seed 002 `max_amount` of a new deposit address when the request names none: a decimal in whole
   * units of the address's currency. Reported, not enforced (a larger deposit is credited all the same).
   */
  depositMaxAmount: text("deposit_max_amount").notNull().default("100000"),
  /** origins allowed to embed this merchant's hosted checkout in a frame (CSP frame-ancestors); empty = none */
  checkoutEmbedOrigins: text("checkout_embed_origins").array().notNull().default(sql`'{}'::text[]`),
  /**
   * EVM checkouts take an earlier checkout's address when one is free (lib/receivers/reuse): an
   * address that already delegated to the sweeper needs no new EIP-7702 authorization (25,000 gas).
   */
  reuseReceivers: boolean("reuse_receivers").notNull().default(false),
  /** the instance's operator (the first account): sees the hot wallets and solvency, invites merchants */
  isOperator: boolean("is_operator").notNull().default(false),
  createdAt: createdAt(),
}, (t) => [uniqueIndex("merchants_one_operator_key").on(t.isOperator).where(sql`${t.isOperator}`)]);

/** An invitation to open a merchant account (TOLLGATE_SIGNUP=invite): created by the operator, used once. */
export const invitations = pgTable("invitations", {
  id: uuid("id").primaryKey().defaultRandom(),
  /** hex SHA-256 of the invitation token; the token itself is shown once */
  tokenHash: text("token_hash").notNull(),
  email: text("email"),
  createdBy: uuid("created_by").notNull().references(() => merchants.id, { onDelete: "cascade" }),
  expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  usedAt: timestamp("used_at", { withTimezone: true }),
  usedBy: uuid("used_by").references(() => merchants.id, { onDelete: "set null" }),
  createdAt: createdAt(),
}, (t) => [uniqueIndex("invitations_token_key").on(t.tokenHash)]);

/** Where forwarded funds go, per network and mode (test networks have their own addresses). */
export const settlementAddresses = pgTable("settlement_addresses", {
  merchantId: uuid("merchant_id").notNull().references(() => merchants.id, { onDelete: "cascade" }),
  network: text("network").notNull(),
  livemode: boolean("livemode").notNull(),
  address: text("address").notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.merchantId, t.network, t.livemode] })]);

/**
 * A merchant's settlement policy on one network (issue 21): no row = forward each checkout at once;
 * a row = settle in batches — a checkout's confirmed funds are assigned to the merchant's next batch
 * (settlement group `batched`, ledger account `settling`) and the batch is forwarded when what waits
 * reaches `min_cents` (US dollars, cents) or its oldest has waited `max_wait_minutes`.
 */
export const settlementPolicies = pgTable("settlement_policies", {
  merchantId: uuid("merchant_id").notNull().references(() => merchants.id, { onDelete: "cascade" }),
  network: text("network").notNull(),
  livemode: boolean("livemode").notNull(),
  minCents: bigint("min_cents", { mode: "number" }).notNull(),
  maxWaitMinutes: integer("max_wait_minutes").notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  primaryKey({ columns: [t.merchantId, t.network, t.livemode] }),
  check("settlement_policies_min_check", sql`${t.minCents} >= 0`),
  check("settlement_policies_wait_check", sql`${t.maxWaitMinutes} between 1 and 43200`),
]);

export const users = pgTable("users", {
  id: uuid("id").primaryKey().defaultRandom(),
  merchantId: uuid("merchant_id").notNull().references(() => merchants.id, { onDelete: "cascade" }),
  email: text("email").notNull(),
  name: text("name"),
  passwordHash: text("password_hash").notNull(),
  /**
   * Every dashboard session carries the epoch it was signed in under; a password change draws a
   * new random one, so the user's other sessions stop working (lib/auth/session.ts) and the
   * session that changed it is given the new one.
   */
  sessionEpoch: text("session_epoch").notNull().default("0"),
  /** two-factor sign-in (lib/auth/two-factor): the TOTP secret, sealed (lib/auth/secret-box); null: off */
  totpSecret: text("totp_secret"),
  /** a secret shown during set-up, not yet confirmed with a code */
  totpPendingSecret: text("totp_pending_secret"),
  /** the last TOTP step accepted: a code is never accepted twice */
  totpLastStep: bigint("totp_last_step", { mode: "number" }),
  /** what the user may do in its merchant's dashboard (lib/team/roles.ts); read from here on every request */
  role: text("role").$type<TeamRole>().notNull().default("owner"),
  createdAt: createdAt(),
}, (t) => [
  uniqueIndex("users_email_key").on(sql`lower(${t.email})`),
  index("users_merchant_idx").on(t.merchantId),
  check("users_role_check", sql`${t.role} in ('owner', 'admin', 'developer', 'viewer')`),
]);

/**
 * An invitation to join an existing merchant's team with a role (lib/team/invitations.ts): the link
 * `/sign-up?team-invite=<token>` is shown once, only the token's SHA-256 is stored; 7 days, one use.
 * `email`, when set, must be the email the new user signs up with.
 */
export const teamInvitations = pgTable("team_invitations", {
  id: uuid("id").primaryKey().defaultRandom(),
  merchantId: uuid("merchant_id").notNull().references(() => merchants.id, { onDelete: "cascade" }),
  tokenHash: text("token_hash").notNull(),
  email: text("email"),
  role: text("role").$type<TeamRole>().notNull(),
  invitedBy: uuid("invited_by").references(() => users.id, { onDelete: "set null" }),
  expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  usedAt: timestamp("used_at", { withTimezone: true }),
  usedBy: uuid("used_by").references(() => users.id, { onDelete: "set null" }),
  createdAt: createdAt(),
}, (t) => [
  uniqueIndex("team_invitations_token_key").on(t.tokenHash),
  index("team_invitations_merchant_idx").on(t.merchantId, t.createdAt),
  check("team_invitations_role_check", sql`${t.role} in ('owner', 'admin', 'developer', 'viewer')`),
]);

/** Failed sign-ins per key (ip:…, account:…, pair:…) and until when it must wait (lib/auth/throttle.ts). */
export const signinThrottle = pgTable("signin_throttle", {
  key: text("key").primaryKey(),
  failures: integer("failures").notNull().default(0),
  blockedUntil: timestamp("blocked_until", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
}, (t) => [index("signin_throttle_updated_at_idx").on(t.updatedAt)]);

export const apiKeys = pgTable("api_keys", {
  id: uuid("id").primaryKey().defaultRandom(),
  merchantId: uuid("merchant_id").notNull().references(() => merchants.id, { onDelete: "cascade" }),
  livemode: boolean("livemode").notNull(),
  name: text("name").notNull().default(""),
  /** first characters of the key, shown in lists so merchants can tell keys apart */
  prefix: text("prefix").notNull(),
  /** hex SHA-256 of the whole key; the key itself is never stored */
  keyHash: text("key_hash").notNull(),
  createdAt: createdAt(),
  lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
  revokedAt: timestamp("revoked_at", { withTimezone: true }),
  /** a restricted key's access per resource (lib/api-keys/permissions); null: full access */
  permissions: jsonb("permissions").$type<Record<string, "none" | "read" | "write">>(),
}, (t) => [uniqueIndex("api_keys_key_hash_key").on(t.keyHash), index("api_keys_merchant_idx").on(t.merchantId)]);

export const idempotencyKeys = pgTable("idempotency_keys", {
  id: bigint("id", { mode: "bigint" }).primaryKey().generatedAlwaysAsIdentity(),
  merchantId: uuid("merchant_id").notNull().references(() => merchants.id, { onDelete: "cascade" }),
  livemode: boolean("livemode").notNull(),
  /**
   * who made the request within (merchant, mode): `key` for the merchant's secret keys,
   * `session:<id>` for one session's client secret — a payer never shares the merchant's keys
   */
  caller: text("caller").notNull().default("key"),
  key: text("key").notNull(),
  /** SHA-256 of method, path, query and raw body: a different request under the same key is a 409 */
  requestHash: text("request_hash").notNull(),
  responseStatus: integer("response_status"),
  responseBody: text("response_body"),
  createdAt: createdAt(),
  /** set while a request owns the key; a stale lock (crashed process) may be taken over */
  lockedAt: timestamp("locked_at", { withTimezone: true }),
  completedAt: timestamp("completed_at", { withTimezone: true }),
}, (t) => [
  uniqueIndex("idempotency_keys_scope_key").on(t.merchantId, t.livemode, t.caller, t.key),
  index("idempotency_keys_created_idx").on(t.createdAt),
]);

/** Chain heads as seen by the worker; /v1/system/sync reads this. */
export const networkStatus = pgTable("network_status", {
  network: text("network").notNull(),
  livemode: boolean("livemode").notNull(),
  chainId: integer("chain_id"),
  headNumber: bigint("head_number", { mode: "bigint" }).notNull(),
  headHash: text("head_hash").notNull(),
  /** the head block's own timestamp */
  headTime: timestamp("head_time", { withTimezone: true }).notNull(),
  /** when the worker last read the head */
  checkedAt: timestamp("checked_at", { withTimezone: true }).notNull().defaultNow(),
  lastError: text("last_error"),
  /** the solvency check found holdings below what merchants are owed: no payouts until it passes again */
  payoutsPausedReason: text("payouts_paused_reason"),
  /** when the worker last compared holdings with what is owed */
  solvencyCheckedAt: timestamp("solvency_checked_at", { withTimezone: true }),
  /** the watcher stopped here: a reorg deeper than the confirmation depth (README "Deep reorgs") */
  watchPausedReason: text("watch_paused_reason"),
  /** an operator's go-ahead after a deep reorg: the watcher goes on from below its oldest kept block */
  watchResume: boolean("watch_resume").notNull().default(false),
}, (t) => [primaryKey({ columns: [t.network, t.livemode] })]);

export const workerHeartbeats = pgTable("worker_heartbeats", {
  workerId: text("worker_id").primaryKey(),
  hostname: text("hostname").notNull(),
  pid: integer("pid").notNull(),
  startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
  beatAt: timestamp("beat_at", { withTimezone: true }).notNull().defaultNow(),
  /** networks this worker currently watches (holds the advisory lock for) */
  networks: text("networks").array().notNull().default(sql`'{}'::text[]`),
});

/**
 * Per-network work leases (lib/worker/leases): one owner at a time, for `expires_at` past its last
 * renewal. Each take-over increments `epoch`; the writes that matter check owner and epoch in the
 * same transaction (row lock), so a worker that lost its lease cannot sign or move a status.
 */
export const workerLeases = pgTable("worker_leases", {
  name: text("name").primaryKey(),
  owner: text("owner").notNull(),
  epoch: bigint("epoch", { mode: "bigint" }).notNull(),
  expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  acquiredAt: timestamp("acquired_at", { withTimezone: true }).notNull().defaultNow(),
  /** when the holder last finished a pass of this work (metrics, the ten-network test) */
  lastPassAt: timestamp("last_pass_at", { withTimezone: true }),
});

/** Base units of an asset: numeric(78,0) in PostgreSQL (fits uint256), bigint in TypeScript, never a float. */
const units = customType<{ data: bigint; driverData: string }>({
  dataType: () => "numeric(78, 0)",
  toDriver: (v) => v.toString(),
  fromDriver: (v) => BigInt(v),
});

/** The six checkout statuses (DOMAIN.md); lib/checkout/state-machine.ts owns the transitions between them. */
export const checkoutStatusValues = [
  "requires_payment_method", "waiting_payment", "processing", "succeeded", "bounced", "expired",
] as const;

/**
 * A checkout: a session (API.md §1) or, in a later dialect, a payment. Its status changes only
 * through lib/checkout/state-machine.ts.
 */
export const checkouts = pgTable("checkouts", {
  id: uuid("id").primaryKey().defaultRandom(),
  merchantId: uuid("merchant_id").notNull().references(() => merchants.id, { onDelete: "cascade" }),
  livemode: boolean("livemode").notNull(),
  /** which API created it: sessions list only sessions; payments (seed 004) share the engine and id space */
  kind: text("kind", { enum: ["session", "payment"] }).notNull().default("session"),
  status: text("status", { enum: checkoutStatusValues }).notNull().default("requires_payment_method"),
  // where the money goes: an asset on a network, amount in base units. Sessions: an EVM network
  // (seed 003's destination). Payments: the network the payer deposits on, Tron included.
  network: text("network").notNull(),
  /** the EVM chain id; null on a network without one (Tron) */
  chainId: integer("chain_id"),
  /** EIP-55 checksummed on EVM (the zero address: the native coin); the family's form elsewhere (Tron base58) */
  tokenAddress: text("token_address").notNull(),
  tokenSymbol: text("token_symbol").notNull(),
  tokenDecimals: integer("token_decimals").notNull(),
  amountUnits: units("amount_units").notNull(),
  /** EIP-55 checksummed */
  destinationAddress: text("destination_address").notNull(),
  displayTitle: text("display_title").notNull(),
  displayVerb: text("display_verb").notNull().default("Pay"),
  refundAddress: text("refund_address"),
  metadata: jsonb("metadata").$type<Record<string, string>>(),
  /** shown in the full view every time, so stored as is; compared in constant time */
  clientSecret: text("client_secret").notNull(),
  successUrl: text("success_url"),
  cancelUrl: text("cancel_url"),
  expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  createdAt: createdAt(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  // the payer's chosen method (set when the status becomes waiting_payment)
  paymentMethodType: text("payment_method_type"),
  paymentMethodChainId: integer("payment_method_chain_id"),
  paymentMethodTokenAddress: text("payment_method_token_address"),
  paymentMethodReceiverAddress: text("payment_method_receiver_address"),
  paymentMethodChosenAt: timestamp("payment_method_chosen_at", { withTimezone: true }),
  // the forwarding transaction (succeeded) or refund (bounced)
  deliveryTxHash: text("delivery_tx_hash"),
  deliveryReceivedUnits: units("delivery_received_units"),
  /** the exception axis beside status (DOMAIN.md): set by the decider, null when there is none */
  exception: text("exception", { enum: ["underpaid", "overpaid", "paid_late", "mixed", "blocked"] }),
  /** a merchant accepted the checkout as paid although it is short (exception stays `underpaid`) */
  acceptedAt: timestamp("accepted_at", { withTimezone: true }),
  // A session paid in a coin other than its destination's (Bitcoin, Litecoin): the quote taken when
  // the payer chose it (DOMAIN.md "Money": every amount can be explained). `quote_units` of
  // `quote_asset` on `quote_network` pay `amount_units`; a deposit of it counts pro rata. Kept
  // when the payer switches to another method, so a payment already sent in it still counts.
  quoteNetwork: text("quote_network"),
  /** currency code of the quoted coin (BTC, LTC) */
  quoteAsset: text("quote_asset"),
  /** what pays the session in the quoted coin, in its base units (satoshi), rounded up */
  quoteUnits: units("quote_units"),
  /** exact decimal text: `quote_currency` per one whole quoted coin, as the source gave it */
  quoteRate: text("quote_rate"),
  /** the currency the rate is in (USD for a USD-stablecoin session) */
  quoteCurrency: text("quote_currency"),
  /** coingecko · coinbase · static */
  quoteSource: text("quote_source"),
  quoteFetchedAt: timestamp("quote_fetched_at", { withTimezone: true }),
  /** the quote holds until then: the session's expiresAt (a fixed rate for the session's life) */
  quoteExpiresAt: timestamp("quote_expires_at", { withTimezone: true }),
}, (t) => [
  check("checkouts_status_check", sql`${t.status} in (${sql.raw(checkoutStatusValues.map((v) => `'${v}'`).join(", "))})`),
  check("checkouts_kind_check", sql`${t.kind} in ('session', 'payment')`),
  check("checkouts_amount_positive", sql`${t.amountUnits} > 0`),
  // list pagination: newest first, id breaks created_at ties
  index("checkouts_merchant_list_idx").on(t.merchantId, t.livemode, t.createdAt.desc(), t.id.desc()),
  // the expiry sweep and status lookups
  index("checkouts_status_expires_idx").on(t.status, t.expiresAt),
]);

/** Everything that happened, one row per event, written in the transaction that caused it. */
export const events = pgTable("events", {
  /** evt_<random> */
  id: text("id").primaryKey(),
  merchantId: uuid("merchant_id").notNull().references(() => merchants.id, { onDelete: "cascade" }),
  livemode: boolean("livemode").notNull(),
  type: text("type").notNull(),
  /** "session", "payment", "deposit", … */
  objectType: text("object_type").notNull(),
  objectId: text("object_id").notNull(),
  /** the full API object as it was when the event happened */
  data: jsonb("data").notNull(),
  createdAt: createdAt(),
}, (t) => [
  index("events_merchant_list_idx").on(t.merchantId, t.livemode, t.createdAt.desc(), t.id.desc()),
  index("events_object_idx").on(t.objectId),
]);

/**
 * Derivation indexes for deposit addresses (DOMAIN.md "Keys"): allocated by the database so two
 * processes can never hand out the same address. One sequence for every family; each family
 * derives at its own BIP-44 coin type.
 */
export const receiverIndexSeq = pgSequence("receiver_index_seq", { startWith: 1, increment: 1 });

/** A deposit address we watch: one per checkout (per family), or a permanent address. */
export const receivers = pgTable("receivers", {
  id: uuid("id").primaryKey().defaultRandom(),
  merchantId: uuid("merchant_id").notNull().references(() => merchants.id, { onDelete: "cascade" }),
  livemode: boolean("livemode").notNull(),
  /** a family of lib/chains/registry (the registry's id type: a new family needs no schema change) */
  family: text("family").$type<FamilyId>().notNull(),
  /** EVM: checksummed 0x…; Tron: base58 T…; Solana: base58 */
  address: text("address").notNull(),
  derivationIndex: bigint("derivation_index", { mode: "bigint" }).notNull(),
  /** the checkout this receiver belongs to; null for permanent deposit addresses */
  checkoutId: uuid("checkout_id").references(() => checkouts.id, { onDelete: "cascade" }),
  /** watched until then (a checkout's expiry plus its monitoring window); null = forever */
  watchUntil: timestamp("watch_until", { withTimezone: true }),
  /**
   * The earlier checkout's receiver this row takes the address of (lib/receivers/reuse: a merchant
   * that reuses checkout addresses, EVM only, long after that checkout's window closed and its
   * funds left); null for a fresh address. Each row is taken over at most once, so the rows of one
   * address form a chain and the newest is the address's current owner.
   */
  reuses: uuid("reuses").references((): AnyPgColumn => receivers.id),
  /**
   * A reused row's own value of receiver_index_seq (its derivation index is old); null for a fresh
   * address. Watchers page by coalesce(seq, derivation_index) to pick up new rows.
   */
  seq: bigint("seq", { mode: "bigint" }),
  createdAt: createdAt(),
}, (t) => [
  uniqueIndex("receivers_family_address_key").on(t.family, t.address).where(sql`${t.reuses} is null`),
  uniqueIndex("receivers_family_index_key").on(t.family, t.derivationIndex).where(sql`${t.reuses} is null`),
  uniqueIndex("receivers_reuses_key").on(t.reuses),
  uniqueIndex("receivers_family_seq_key").on(t.family, sql`coalesce(${t.seq}, ${t.derivationIndex})`),
  index("receivers_address_idx").on(t.family, t.address),
  index("receivers_checkout_idx").on(t.checkoutId),
  index("receivers_watch_idx").on(t.livemode, t.family, t.watchUntil),
]);

/**
 * A Solana payment request (API.md §1 type `solana`): the transaction we built for the payer's
 * wallet pays `amount` of `mint` straight to the merchant's settlement wallet (`recipient`) and
 * carries a fresh reference key (Solana Pay), which is the receiver's address: receivers'
 * unique (family, address) guarantees two sessions never share a reference. The reference is
 * a random key, not derived; its receiver row takes a sequence index like every receiver.
 */
export const solanaPaymentRequests = pgTable("solana_payment_requests", {
  receiverId: uuid("receiver_id").primaryKey().references(() => receivers.id, { onDelete: "cascade" }),
  checkoutId: uuid("checkout_id").notNull().references(() => checkouts.id, { onDelete: "cascade" }),
  /** the reference key (base58), same as the receiver's address */
  reference: text("reference").notNull(),
  /** the merchant's settlement wallet (owner of the receiving token account) when the request was made */
  recipient: text("recipient").notNull(),
  /** SPL mint; null for native SOL */
  mint: text("mint"),
  /** currency code (sUSDC, sUSDT, SOL) */
  assetCode: text("asset_code").notNull(),
  /** base units of the mint (lamports for SOL) */
  amount: units("amount").notNull(),
  /** the payer's wallet, fee payer of the transaction; null for a Solana Pay QR request (any wallet pays) */
  payer: text("payer"),
  createdAt: createdAt(),
}, (t) => [
  uniqueIndex("solana_payment_requests_reference_key").on(t.reference),
  index("solana_payment_requests_checkout_idx").on(t.checkoutId),
]);

/**
 * The Solana watcher's per-address cursor (lib/chains/solana/watcher.ts): the newest finalized
 * signature it has handled for a watched address (a merchant's token account or wallet), so a
 * restart reads from there (getSignaturesForAddress `until`) and skips nothing.
 */
export const solanaCursors = pgTable("solana_cursors", {
  network: text("network").notNull(),
  livemode: boolean("livemode").notNull(),
  address: text("address").notNull(),
  signature: text("signature").notNull(),
  slot: bigint("slot", { mode: "bigint" }).notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.network, t.livemode, t.address] })]);

/** One row per on-chain credit to a receiver (DOMAIN.md "Deposits"). Inserting the same credit twice is a no-op. */
export const deposits = pgTable("deposits", {
  id: uuid("id").primaryKey().defaultRandom(),
  merchantId: uuid("merchant_id").notNull().references(() => merchants.id, { onDelete: "cascade" }),
  livemode: boolean("livemode").notNull(),
  network: text("network").notNull(),
  chainId: integer("chain_id"),
  txHash: text("tx_hash").notNull(),
  /** log index of the Transfer event; -1 for a native-coin transfer (one per transaction) */
  logIndex: integer("log_index").notNull(),
  blockNumber: bigint("block_number", { mode: "bigint" }).notNull(),
  blockHash: text("block_hash").notNull(),
  fromAddress: text("from_address"),
  toAddress: text("to_address").notNull(),
  /** token contract; null for the native coin */
  tokenAddress: text("token_address"),
  /** currency code from the currency table (eUSDC, ETH, …) */
  assetCode: text("asset_code").notNull(),
  amount: units("amount").notNull(),
  /** the transfer's comment (TON: a text comment, or the hex of a binary one); null when it carried none */
  comment: text("comment"),
  status: text("status", { enum: ["seen", "confirmed", "reverted"] }).notNull().default("seen"),
  receiverId: uuid("receiver_id").notNull().references(() => receivers.id, { onDelete: "cascade" }),
  checkoutId: uuid("checkout_id").references(() => checkouts.id, { onDelete: "cascade" }),
  /** arrived after the checkout expired (inside its monitoring window) */
  late: boolean("late").notNull().default(false),
  /** below the address's minimum: recorded and flagged, never dropped */
  belowMinimum: boolean("below_minimum").notNull().default(false),
  createdAt: createdAt(),
  confirmedAt: timestamp("confirmed_at", { withTimezone: true }),
  revertedAt: timestamp("reverted_at", { withTimezone: true }),
}, (t) => [
  uniqueIndex("deposits_credit_key").on(t.network, t.livemode, t.txHash, t.logIndex),
  index("deposits_checkout_idx").on(t.checkoutId),
  index("deposits_receiver_idx").on(t.receiverId),
  index("deposits_pending_idx").on(t.network, t.livemode, t.status, t.blockNumber),
  index("deposits_merchant_idx").on(t.merchantId, t.livemode, t.createdAt.desc()),
]);

/**
 * Recent (unfinalized) blocks the watcher has processed, per network: the chain it believes in.
 * A new block whose parent hash disagrees means a reorg: walk back to the common ancestor.
 */
export const chainBlocks = pgTable("chain_blocks", {
  network: text("network").notNull(),
  livemode: boolean("livemode").notNull(),
  number: bigint("number", { mode: "bigint" }).notNull(),
  hash: text("hash").notNull(),
  parentHash: text("parent_hash").notNull(),
  timestamp: timestamp("timestamp", { withTimezone: true }).notNull(),
}, (t) => [primaryKey({ columns: [t.network, t.livemode, t.number] })]);

/**
 * Transactions we send (forwarding, gas funding, refunds, later withdrawals). The row, with the
 * signed transaction and its nonce, is written before broadcast, so a crash re-broadcasts the
 * same signed bytes and can never produce a second, different payment.
 */
export const outboundTxs = pgTable("outbound_txs", {
  id: uuid("id").primaryKey().defaultRandom(),
  merchantId: uuid("merchant_id").notNull().references(() => merchants.id, { onDelete: "cascade" }),
  livemode: boolean("livemode").notNull(),
  network: text("network").notNull(),
  chainId: integer("chain_id"),
  /**
   * `energy_delegation` / `energy_reclaim` (Tron Stake 2.0): the hot wallet lends a receiver energy
   * of its staked TRX for the receiver's token transfer and takes it back after; `amount` is the
   * staked TRX (sun) whose energy is lent — no TRX moves, only the fee is the hot wallet's.
   */
  purpose: text("purpose", { enum: ["forward", "gas_funding", "refund", "excess_refund", "withdrawal", "sweep", "energy_delegation", "energy_reclaim"] }).notNull(),
  checkoutId: uuid("checkout_id").references(() => checkouts.id, { onDelete: "set null" }),
  fromAddress: text("from_address").notNull(),
  toAddress: text("to_address").notNull(),
  /** null for the native coin */
  tokenAddress: text("token_address"),
  amount: units("amount").notNull(),
  nonce: bigint("nonce", { mode: "bigint" }),
  signedTx: text("signed_tx"),
  txHash: text("tx_hash"),
  /**
   * `replaced`: superseded by a re-signed transaction with the same nonce and higher fees (the row
   * whose replaces_id points here); never final by itself: if it is the one mined after all,
   * reconcile makes it `confirmed`/`failed` and its replacement `replaced`. Only a final row pays a fee.
   */
  status: text("status", { enum: ["created", "signed", "broadcast", "confirmed", "failed", "replaced"] }).notNull().default("created"),
  /** gas/energy actually paid, in the network's native base units */
  feePaid: units("fee_paid"),
  /** the currency code the fee is paid in (the network's native coin), for the ledger's fee entries */
  feeAsset: text("fee_asset"),
  /**
   * The fee came out of the coins this transaction moved, which were not the instance's: a UTXO
   * forward pays the merchant what the receiver held less the fee (the payment bears it). The
   * ledger charges such a fee to no account of the instance (db/migrations 0032).
   */
  feeFromAmount: boolean("fee_from_amount").notNull().default(false),
  /** Tron: energy the transaction consumed (receipt.energy_usage_total: staked or delegated energy plus what was burned for) */
  energyUsed: bigint("energy_used", { mode: "bigint" }),
  /** Tron: TRX (sun) burned for energy (receipt.energy_fee); fee_paid is everything burned */
  energyFee: bigint("energy_fee", { mode: "bigint" }),
  /** Tron: bandwidth (bytes) the transaction consumed (receipt.net_usage, or net_fee / the byte price when burned) */
  netUsage: bigint("net_usage", { mode: "bigint" }),
  /** Tron: TRX (sun) burned for bandwidth (receipt.net_fee) */
  netFee: bigint("net_fee", { mode: "bigint" }),
  error: text("error"),
  /** the withdrawal this transaction pays (written in the same insert, so a withdrawal is never signed twice) */
  withdrawalId: bigint("withdrawal_id", { mode: "bigint" }).references(() => withdrawals.id, { onDelete: "set null" }),
  /**
   * the account that paid the fee when it is not `from_address` (Solana: the hot wallet pays a
   * sweep's fee), so the ledger charges the fee to the account that spent it
   */
  feePayer: text("fee_payer"),
  /**
   * A transaction the fee payer sent for this row (an EIP-7702 batch sweep: many receivers' forwards
   * in one transaction of the hot wallet): the fee payer's nonce. The batch's rows share tx_hash and
   * signed_tx; `nonce` stays null (it is the sender's own, and the receiver sent nothing itself).
   */
  payerNonce: bigint("payer_nonce", { mode: "bigint" }),
  /** the transaction this one replaces (same nonce, higher fees): the chain of replacements */
  replacesId: uuid("replaces_id").references((): AnyPgColumn => outboundTxs.id),
  /** the chain's head when the transaction was signed (how long it has been pending, in blocks) */
  signedAtBlock: bigint("signed_at_block", { mode: "bigint" }),
  createdAt: createdAt(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  index("outbound_txs_withdrawal_idx").on(t.withdrawalId),
  index("outbound_txs_status_idx").on(t.network, t.livemode, t.status),
  index("outbound_txs_checkout_idx").on(t.checkoutId),
  // one live transaction per nonce; the replaced ones of its chain keep theirs
  uniqueIndex("outbound_txs_sender_nonce_key").on(t.network, t.livemode, t.fromAddress, t.nonce).where(sql`${t.status} <> 'replaced'`),
  index("outbound_txs_replaces_idx").on(t.replacesId),
  index("outbound_txs_payer_nonce_idx").on(t.network, t.livemode, t.feePayer, t.payerNonce).where(sql`${t.payerNonce} is not null`),
]);

/**
 * UTXO chains (Bitcoin, Litecoin): the outputs of ours the spending engine (lib/chains/bitcoin/spend)
 * may spend — confirmed deposits to permanent deposit addresses, the change of our own
 * transactions and whatever else pays the hot wallet (index 0: the operator's fee float), with the
 * key index that signs for each. An output
 * is spendable while `spent_by` is null; a transaction of ours that spends it sets `spent_by` to its
 * txid when it is signed (in the same database transaction as its outbound_txs rows, before
 * broadcast), a replacement moves it to the replacement's txid, a transaction that can never be
 * mined gives it back (null), and the one mined sets `spent_at`.
 */
export const utxoOutputs = pgTable("utxo_outputs", {
  id: uuid("id").primaryKey().defaultRandom(),
  network: text("network").notNull(),
  livemode: boolean("livemode").notNull(),
  txid: text("txid").notNull(),
  vout: integer("vout").notNull(),
  address: text("address").notNull(),
  derivationIndex: bigint("derivation_index", { mode: "bigint" }).notNull(),
  amount: units("amount").notNull(),
  /**
   * deposit: a confirmed deposit to a deposit address; change: the change of one of our
   * transactions; float: any output to the hot wallet seen in a block (the operator's fee float)
   */
  origin: text("origin", { enum: ["deposit", "change", "float"] }).notNull(),
  spentBy: text("spent_by"),
  spentAt: timestamp("spent_at", { withTimezone: true }),
  createdAt: createdAt(),
}, (t) => [
  uniqueIndex("utxo_outputs_outpoint_key").on(t.network, t.livemode, t.txid, t.vout),
  index("utxo_outputs_spendable_idx").on(t.network, t.livemode, t.address).where(sql`${t.spentAt} is null`),
  index("utxo_outputs_spent_by_idx").on(t.spentBy),
]);

/**
 * Public derivation roots per key family (extended public keys), written by the processes that
 * hold the mnemonic. The web process derives receiver addresses from these alone: spending keys
 * never leave the worker.
 */
/**
 * A checkout's settlement groups (DOMAIN.md "Settlement is per group"): the counted deposits of one
 * (network, receiver, asset), settled on their own chain — forwarded by the receiver (`forward`) or
 * paid straight to the merchant (`direct`, Solana reference payments). A row is written when the
 * group is final: `delivered` (it reached the merchant) or `refunded` (its forward failed and the
 * funds went back); until then the group's state lives in outbound_txs. `delivered_units` is what
 * arrived, in the group's own token (base units), read from the chain.
 */
export const settlementGroups = pgTable("settlement_groups", {
  id: uuid("id").primaryKey().defaultRandom(),
  checkoutId: uuid("checkout_id").notNull().references(() => checkouts.id, { onDelete: "cascade" }),
  merchantId: uuid("merchant_id").notNull().references(() => merchants.id, { onDelete: "cascade" }),
  livemode: boolean("livemode").notNull(),
  network: text("network").notNull(),
  chainId: integer("chain_id"),
  receiverId: uuid("receiver_id").notNull().references(() => receivers.id),
  assetCode: text("asset_code").notNull(),
  tokenAddress: text("token_address"),
  mode: text("mode", { enum: ["forward", "direct"] }).notNull(),
  /** `batched`: confirmed and assigned to the merchant's next settlement batch (its policy), not forwarded yet */
  status: text("status", { enum: ["delivered", "refunded", "batched"] }).notNull(),
  /** what the group's deposits brought, base units of its token */
  depositedUnits: units("deposited_units").notNull(),
  deliveredUnits: units("delivered_units").notNull(),
  toAddress: text("to_address"),
  /** null while `batched` */
  txHash: text("tx_hash"),
  createdAt: createdAt(),
}, (t) => [
  uniqueIndex("settlement_groups_key").on(t.checkoutId, t.network, t.receiverId, t.assetCode),
  check("settlement_groups_status_check", sql`${t.status} in ('delivered', 'refunded', 'batched')`),
  check("settlement_groups_tx_check", sql`(${t.txHash} is null) = (${t.status} = 'batched')`),
]);

/**
 * Why a settlement step cannot go ahead (no settlement address, the hot wallet is empty, the refund
 * would revert, …), kept where the dashboard and operators see it: one row per checkout, network,
 * step and token, replaced when the reason changes and deleted as soon as the step goes ahead.
 * Notes are never transactions: outbound_txs holds only what was signed.
 */
export const settlementNotes = pgTable("settlement_notes", {
  id: uuid("id").primaryKey().defaultRandom(),
  checkoutId: uuid("checkout_id").notNull().references(() => checkouts.id, { onDelete: "cascade" }),
  merchantId: uuid("merchant_id").notNull().references(() => merchants.id, { onDelete: "cascade" }),
  livemode: boolean("livemode").notNull(),
  network: text("network").notNull(),
  purpose: text("purpose", { enum: ["forward", "gas_funding", "refund", "excess_refund", "withdrawal", "sweep", "energy_delegation", "energy_reclaim"] }).notNull(),
  fromAddress: text("from_address").notNull(),
  /** the intended recipient, when known */
  toAddress: text("to_address"),
  /** null for the native coin or a step about no token in particular */
  tokenAddress: text("token_address"),
  amount: units("amount").notNull(),
  reason: text("reason").notNull(),
  createdAt: createdAt(),
}, (t) => [
  index("settlement_notes_checkout_idx").on(t.checkoutId, t.network),
]);

/**
 * What a merchant did about a checkout's exception (API and dashboard): `accept` an underpaid
 * checkout as paid, `retry` a failed settlement, `refund` (part of) its funds to an address. Each is
 * an event; a refund is carried out by the network's runner (the web process holds no keys), whose
 * transaction is stored before broadcast (`outbound_tx_id`).
 */
export const checkoutActions = pgTable("checkout_actions", {
  id: uuid("id").primaryKey().defaultRandom(),
  checkoutId: uuid("checkout_id").notNull().references(() => checkouts.id, { onDelete: "cascade" }),
  merchantId: uuid("merchant_id").notNull().references(() => merchants.id, { onDelete: "cascade" }),
  livemode: boolean("livemode").notNull(),
  kind: text("kind", { enum: ["accept", "retry", "refund"] }).notNull(),
  /** refunds: pending → sent → done | failed; accept and retry are done when written */
  status: text("status", { enum: ["pending", "sent", "done", "failed"] }).notNull(),
  network: text("network"),
  receiverId: uuid("receiver_id").references(() => receivers.id),
  tokenAddress: text("token_address"),
  assetCode: text("asset_code"),
  toAddress: text("to_address"),
  amount: units("amount"),
  outboundTxId: uuid("outbound_tx_id").references(() => outboundTxs.id),
  error: text("error"),
  createdAt: createdAt(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  index("checkout_actions_checkout_idx").on(t.checkoutId),
  index("checkout_actions_pending_idx").on(t.network, t.livemode, t.status),
  check("checkout_actions_kind_check", sql`${t.kind} in ('accept', 'retry', 'refund')`),
  check("checkout_actions_status_check", sql`${t.status} in ('pending', 'sent', 'done', 'failed')`),
]);

export const keyRoots = pgTable("key_roots", {
  family: text("family").primaryKey(),
  /** BIP-32 extended public key of the account-level path, e.g. m/44'/60'/0'/0 for EVM */
  xpub: text("xpub").notNull(),
  path: text("path").notNull(),
  createdAt: createdAt(),
});

/**
 * Addresses derived ahead for families whose receivers need hardened derivation (Solana: SLIP-10
 * ed25519 at m/44'/501'/i'/0'), written by the processes that hold the mnemonic (lib/keys/pool);
 * the web process allocates a deposit address by taking (deleting) one row in the transaction that
 * inserts its receiver. Indexes come from receiver_index_seq, so they never collide with another
 * receiver of the family.
 */
export const keyPool = pgTable("key_pool", {
  family: text("family").notNull(),
  derivationIndex: bigint("derivation_index", { mode: "bigint" }).notNull(),
  address: text("address").notNull(),
  createdAt: createdAt(),
}, (t) => [
  primaryKey({ columns: [t.family, t.derivationIndex] }),
  uniqueIndex("key_pool_family_address_key").on(t.family, t.address),
]);

/** A merchant's webhook endpoint (API.md §4), in one mode. */
export const webhookEndpoints = pgTable("webhook_endpoints", {
  /** we_<random> */
  id: text("id").primaryKey(),
  merchantId: uuid("merchant_id").notNull().references(() => merchants.id, { onDelete: "cascade" }),
  livemode: boolean("livemode").notNull(),
  url: text("url").notNull(),
  description: text("description"),
  /** subscribed event types; ["*"] = all */
  events: text("events").array().notNull(),
  /** whsec_<base64>; stored in full because every delivery is signed with it */
  secret: text("secret").notNull(),
  /** the secret before the last rotation, still signing until previousSecretExpiresAt */
  previousSecret: text("previous_secret"),
  previousSecretExpiresAt: timestamp("previous_secret_expires_at", { withTimezone: true }),
  enabled: boolean("enabled").notNull().default(true),
  /** why and when the endpoint was disabled automatically (null when disabled by the merchant) */
  disabledReason: text("disabled_reason"),
  disabledAt: timestamp("disabled_at", { withTimezone: true }),
  /** first failed attempt of the current run of failures; null after a success */
  failingSince: timestamp("failing_since", { withTimezone: true }),
  createdAt: createdAt(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
}, (t) => [index("webhook_endpoints_merchant_idx").on(t.merchantId, t.livemode, t.createdAt)]);

/** One event to one target: its id is the `webhook-id` header of every attempt. */
export const webhookDeliveries = pgTable("webhook_deliveries", {
  /** msg_<random> */
  id: text("id").primaryKey(),
  eventId: text("event_id").notNull().references(() => events.id, { onDelete: "cascade" }),
  /** null for an ad-hoc target (e.g. a deposit address's callback_url) */
  endpointId: text("endpoint_id").references(() => webhookEndpoints.id, { onDelete: "cascade" }),
  merchantId: uuid("merchant_id").notNull().references(() => merchants.id, { onDelete: "cascade" }),
  livemode: boolean("livemode").notNull(),
  /** ad-hoc targets only: where and with which secret (endpoints use their current row) */
  targetUrl: text("target_url"),
  targetSecret: text("target_secret"),
  status: text("status", { enum: ["pending", "succeeded", "failed"] }).notNull().default("pending"),
  attemptCount: integer("attempt_count").notNull().default(0),
  nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }),
  lastAttemptAt: timestamp("last_attempt_at", { withTimezone: true }),
  lastStatusCode: integer("last_status_code"),
  createdAt: createdAt(),
}, (t) => [
  index("webhook_deliveries_event_idx").on(t.eventId),
  index("webhook_deliveries_endpoint_idx").on(t.endpointId, t.createdAt.desc()),
  index("webhook_deliveries_merchant_idx").on(t.merchantId, t.livemode, t.createdAt.desc()),
]);

/** One HTTP request of a delivery, with what came back. */
export const webhookAttempts = pgTable("webhook_attempts", {
  id: bigint("id", { mode: "bigint" }).primaryKey().generatedAlwaysAsIdentity(),
  deliveryId: text("delivery_id").notNull().references(() => webhookDeliveries.id, { onDelete: "cascade" }),
  url: text("url").notNull(),
  requestHeaders: jsonb("request_headers").notNull(),
  statusCode: integer("status_code"),
  latencyMs: integer("latency_ms").notNull(),
  /** the first KB of the response body */
  responseBody: text("response_body"),
  error: text("error"),
  /** succeeded · retry (another attempt is scheduled) · failed (final) */
  outcome: text("outcome", { enum: ["succeeded", "retry", "failed"] }).notNull(),
  manual: boolean("manual").notNull().default(false),
  createdAt: createdAt(),
}, (t) => [index("webhook_attempts_delivery_idx").on(t.deliveryId, t.id)]);

/**
 * A payment (API.md §2, seed 004): a checkout priced in a display (fiat) currency. Same id as its
 * checkout, which exists once a deposit currency is submitted (PATCH); until then the payment is
 * NEW here alone (or EXPIRED / BLOCKED before submission). After submission the checkout's status
 * (lib/checkout/state-machine.ts) decides the payment's status.
 */
export const payments = pgTable("payments", {
  id: uuid("id").primaryKey().defaultRandom(),
  merchantId: uuid("merchant_id").notNull().references(() => merchants.id, { onDelete: "cascade" }),
  livemode: boolean("livemode").notNull(),
  clientPaymentId: text("client_payment_id").notNull(),
  locale: text("locale").notNull().default("en-US"),
  rateType: text("rate_type", { enum: ["FIXED", "FLOATING"] }).notNull().default("FIXED"),
  type: text("type", { enum: ["ONE_TIME", "REUSABLE"] }).notNull().default("ONE_TIME"),
  overpaymentPolicy: text("overpayment_policy", { enum: ["PROCESS", "EXCESS_REFUND"] }).notNull().default("PROCESS"),
  refundFollowUpDeposits: boolean("refund_follow_up_deposits").notNull().default(false),
  displayCurrency: text("display_currency"),
  /** in hundredths of the display currency (display amounts have two decimals) */
  displayAmountCents: units("display_amount_cents"),
  redirectUrl: text("redirect_url"),
  expirationMinutes: integer("expiration_minutes").notNull(),
  expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  /** before submission: new → expired | blocked; submitted once the checkout exists */
  stage: text("stage", { enum: ["new", "submitted", "expired", "blocked"] }).notNull().default("new"),
  /** the merchant blocked it (API or dashboard) */
  blockedAt: timestamp("blocked_at", { withTimezone: true }),
  /** seed-004 names of what the payer deposits, set at submission */
  depositCurrency: text("deposit_currency"),
  expectedNetwork: text("expected_network"),
  checkoutId: uuid("checkout_id").references(() => checkouts.id, { onDelete: "cascade" }),
  /** the quote the expected deposit amount was computed with at submission */
  submitQuoteId: uuid("submit_quote_id"),
  /** FLOATING: the quote taken when the first deposit arrived */
  depositQuoteId: uuid("deposit_quote_id"),
  requestedAt: timestamp("requested_at", { withTimezone: true }),
  /** what the payer sees as the checkout's title (a payment link's); seed-004 payments have none (the merchant's name) */
  title: text("title"),
  /** the payment link it was opened from (dashboard, no code) */
  paymentLinkId: uuid("payment_link_id").references((): AnyPgColumn => paymentLinks.id, { onDelete: "set null" }),
  createdAt: createdAt(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  index("payments_link_idx").on(t.paymentLinkId),
  index("payments_merchant_list_idx").on(t.merchantId, t.livemode, t.createdAt.desc(), t.id.desc()),
  index("payments_stage_expires_idx").on(t.stage, t.expiresAt),
  uniqueIndex("payments_checkout_key").on(t.checkoutId),
  check("payments_display_amount_positive", sql`${t.displayAmountCents} is null or ${t.displayAmountCents} > 0`),
]);

/**
 * A payment link (issue 20, no code): made in the dashboard and shared as a URL, it opens a
 * seed-004 payment priced in a display currency — a fixed price, or one the customer enters — that
 * the payer completes on the hosted page (choosing what to pay with). Reusable links open a new
 * payment every time; a one-off link opens one and then leads to it.
 */
export const paymentLinks = pgTable("payment_links", {
  id: uuid("id").primaryKey().defaultRandom(),
  merchantId: uuid("merchant_id").notNull().references(() => merchants.id, { onDelete: "cascade" }),
  livemode: boolean("livemode").notNull(),
  title: text("title").notNull(),
  displayCurrency: text("display_currency").notNull(),
  /** hundredths of the display currency; null: the customer enters the amount */
  displayAmountCents: units("display_amount_cents"),
  reusable: boolean("reusable").notNull(),
  active: boolean("active").notNull().default(true),
  /** payments opened from it */
  uses: integer("uses").notNull().default(0),
  /** a one-off link's payment, once opened */
  paymentId: uuid("payment_id").references((): AnyPgColumn => payments.id, { onDelete: "set null" }),
  createdAt: createdAt(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  index("payment_links_merchant_idx").on(t.merchantId, t.livemode, t.createdAt.desc()),
  check("payment_links_amount_positive", sql`${t.displayAmountCents} is null or ${t.displayAmountCents} > 0`),
]);

/** Every price quote a payment used (DOMAIN.md "Money"): `rate` display-currency units per one whole asset unit. */
export const rateQuotes = pgTable("rate_quotes", {
  id: uuid("id").primaryKey().defaultRandom(),
  paymentId: uuid("payment_id").notNull().references(() => payments.id, { onDelete: "cascade" }),
  purpose: text("purpose", { enum: ["submit", "deposit"] }).notNull(),
  /** asset ticker, e.g. USDT */
  base: text("base").notNull(),
  /** display currency, e.g. EUR */
  quote: text("quote").notNull(),
  /** exact decimal text as the source gave it */
  rate: text("rate").notNull(),
  /** coingecko · coinbase · static · peg */
  source: text("source").notNull(),
  fetchedAt: timestamp("fetched_at", { withTimezone: true }).notNull(),
  expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  createdAt: createdAt(),
}, (t) => [index("rate_quotes_payment_idx").on(t.paymentId)]);

/**
 * A deposit to a seed-002 address with `currency_to`, valued in that currency at confirmation
 * (the quote the rate provider gave then, and the value it makes). A valuation only: no exchange
 * takes place; the deposit is credited in its own asset.
 */
export const depositValuations = pgTable("deposit_valuations", {
  depositId: uuid("deposit_id").primaryKey().references(() => deposits.id, { onDelete: "cascade" }),
  /** the deposit's asset ticker, e.g. TRX */
  base: text("base").notNull(),
  /** the address's currency_to as given (lowercase in seed 002), e.g. usdt */
  currency: text("currency").notNull(),
  /** the ticker the rate was asked in, e.g. USD for usdt (pegged) */
  quote: text("quote").notNull(),
  /** exact decimal text: quote units per one whole base unit */
  rate: text("rate").notNull(),
  /** coingecko · coinbase · static · peg · same */
  source: text("source").notNull(),
  fetchedAt: timestamp("fetched_at", { withTimezone: true }).notNull(),
  /** the deposit's value in `currency`, decimal text, rounded down */
  amount: text("amount").notNull(),
  createdAt: createdAt(),
});

/**
 * A permanent deposit address (API.md §3 and the seed 000/002 dialects): a receiver without a
 * checkout, owned by one of the merchant's customers, for one currency. Deposits to it are
 * credited by the same watcher as checkout receivers.
 */
export const depositAddresses = pgTable("deposit_addresses", {
  /** seed 002 `uuid`, seed 000 `channelId` */
  id: uuid("id").primaryKey().defaultRandom(),
  merchantId: uuid("merchant_id").notNull().references(() => merchants.id, { onDelete: "cascade" }),
  livemode: boolean("livemode").notNull(),
  receiverId: uuid("receiver_id").notNull().references(() => receivers.id, { onDelete: "cascade" }),
  /** the receiver's address, copied for lookups by address */
  address: text("address").notNull(),
  network: text("network").notNull(),
  /** currency code from the currency table (eUSDC, ETH, …) */
  currency: text("currency").notNull(),
  /** seed 001 `new` (a new address per call) · seed 000 `customer` (one per customer and currency) · seed 002 `v2` */
  kind: text("kind", { enum: ["new", "customer", "v2"] }).notNull(),
  /** seed 001 user_id, seed 000 customerId, seed 002 client_info.client_id */
  userId: text("user_id"),
  title: text("title"),
  callbackUrl: text("callback_url"),
  /** whsec_… signing the deposit.* events sent to callbackUrl */
  callbackSecret: text("callback_secret"),
  clientInfo: jsonb("client_info").$type<Record<string, string | null>>(),
  currencyTo: text("currency_to"),
  /** base units; deposits below are recorded and flagged (deposits.below_minimum) */
  minAmount: units("min_amount"),
  maxAmount: units("max_amount"),
  createdAt: createdAt(),
}, (t) => [
  check("deposit_addresses_kind_check", sql`${t.kind} in ('new', 'customer', 'v2')`),
  uniqueIndex("deposit_addresses_receiver_key").on(t.receiverId),
  // seed 000: the same customer and currency always get the same address back
  uniqueIndex("deposit_addresses_customer_key").on(t.merchantId, t.livemode, t.userId, t.currency).where(sql`${t.kind} = 'customer'`),
  index("deposit_addresses_user_idx").on(t.merchantId, t.livemode, t.userId, t.createdAt),
  index("deposit_addresses_address_idx").on(t.address),
]);

export const withdrawalStatusValues = ["pending", "processing", "processed", "failed"] as const;

/**
 * Hot-wallet payouts and sweeps (DOMAIN.md "Withdrawals"): written before anything is signed;
 * the transaction that pays it is an outbound_txs row carrying its id.
 */
export const withdrawals = pgTable("withdrawals", {
  /** the seed 001 `ID`: a number */
  id: bigint("id", { mode: "bigint" }).primaryKey().generatedAlwaysAsIdentity(),
  merchantId: uuid("merchant_id").notNull().references(() => merchants.id, { onDelete: "cascade" }),
  livemode: boolean("livemode").notNull(),
  /** payout: hot wallet → destination · sweep: a deposit address → the hot wallet (withdrawal/service) */
  kind: text("kind", { enum: ["payout", "sweep"] }).notNull(),
  userId: text("user_id"),
  queryId: text("query_id"),
  /** SHA-256 of the request's fields: a retry with another body under the same (user_id, query_id) is a 409 */
  requestHash: text("request_hash"),
  network: text("network").notNull(),
  currency: text("currency").notNull(),
  /** base units; null for a sweep (everything the address holds when it is sent) */
  amount: units("amount"),
  /** sweep: the deposit address swept */
  fromAddress: text("from_address"),
  destination: text("destination").notNull(),
  comment: text("comment"),
  binaryComment: text("binary_comment"),
  /** sweep: returned to the caller */
  memo: uuid("memo"),
  status: text("status", { enum: withdrawalStatusValues }).notNull().default("pending"),
  /** why it is still pending, or why it failed */
  reason: text("reason"),
  txHash: text("tx_hash"),
  createdAt: createdAt(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  check("withdrawals_status_check", sql`${t.status} in (${sql.raw(withdrawalStatusValues.map((v) => `'${v}'`).join(", "))})`),
  check("withdrawals_kind_check", sql`${t.kind} in ('payout', 'sweep')`),
  // a payout has an amount above zero; a sweep takes whatever the address holds
  check("withdrawals_amount_check", sql`(${t.kind} = 'sweep' and ${t.amount} is null) or ${t.amount} > 0`),
  uniqueIndex("withdrawals_query_key").on(t.merchantId, t.livemode, t.userId, t.queryId).where(sql`${t.kind} = 'payout'`),
  index("withdrawals_queue_idx").on(t.network, t.livemode, t.status),
  index("withdrawals_merchant_idx").on(t.merchantId, t.livemode, t.createdAt.desc()),
]);

/**
 * The ledger (DOMAIN.md "Ledger"): one account per (owner, mode, network, asset, kind). Merchant
 * accounts: `available`, `incoming` (seen, not confirmed), `reserved` (withdrawals queued or in
 * flight) — what the instance owes the merchant, credit-normal, never below zero — and `fees`
 * (network fees spent for the merchant, debit-normal). Instance accounts (merchant_id null):
 * `pending` (deposits seen, not final), `custody` (held on permanent deposit addresses),
 * `receivers` (native coin on checkout receivers, sent there for their fees) and `hot_wallet`,
 * all debit-normal. Balances change only through ledger_post() (db/migrations: the entries and
 * the account rows in one statement), called by triggers on deposits, withdrawals and
 * outbound_txs, so every writer posts.
 */
export const ledgerAccountKinds = ["available", "incoming", "reserved", "settling", "fees", "pending", "custody", "receivers", "hot_wallet"] as const;
export type LedgerAccountKind = (typeof ledgerAccountKinds)[number];

export const ledgerAccounts = pgTable("ledger_accounts", {
  id: bigint("id", { mode: "bigint" }).primaryKey().generatedAlwaysAsIdentity(),
  /** null: the instance's own account */
  merchantId: uuid("merchant_id").references(() => merchants.id, { onDelete: "restrict" }),
  livemode: boolean("livemode").notNull(),
  network: text("network").notNull(),
  /** currency code (eUSDC, ETH, …) */
  asset: text("asset").notNull(),
  kind: text("kind", { enum: ledgerAccountKinds }).notNull(),
  debits: units("debits").notNull().default(sql`0`),
  credits: units("credits").notNull().default(sql`0`),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  uniqueIndex("ledger_accounts_key").on(sql`coalesce(${t.merchantId}, '00000000-0000-0000-0000-000000000000'::uuid)`, t.livemode, t.network, t.asset, t.kind),
  check("ledger_accounts_owner_check", sql`(${t.merchantId} is null) = (${t.kind} in ('pending', 'custody', 'receivers', 'hot_wallet'))`),
  // what the instance owes a merchant never goes below zero
  check("ledger_accounts_owed_not_negative", sql`${t.kind} not in ('available', 'incoming', 'reserved') or ${t.credits} >= ${t.debits}`),
  index("ledger_accounts_merchant_idx").on(t.merchantId, t.livemode),
]);

/** One immutable double entry: `amount` debited from one account and credited to another. */
export const ledgerEntries = pgTable("ledger_entries", {
  id: bigint("id", { mode: "bigint" }).primaryKey().generatedAlwaysAsIdentity(),
  debitAccountId: bigint("debit_account_id", { mode: "bigint" }).notNull().references(() => ledgerAccounts.id),
  creditAccountId: bigint("credit_account_id", { mode: "bigint" }).notNull().references(() => ledgerAccounts.id),
  amount: units("amount").notNull(),
  /** deposit_seen, deposit_confirmed, deposit_reverted, withdrawal_reserved, withdrawal_paid, withdrawal_released, sweep, gas_funding, fee */
  reason: text("reason").notNull(),
  /** deposit · withdrawal · outbound_tx */
  refType: text("ref_type").notNull(),
  refId: text("ref_id").notNull(),
  /** the merchant the entry concerns (its own account or the fee it was charged) */
  merchantId: uuid("merchant_id"),
  createdAt: createdAt(),
}, (t) => [
  check("ledger_entries_amount_positive", sql`${t.amount} > 0`),
  check("ledger_entries_two_accounts", sql`${t.debitAccountId} <> ${t.creditAccountId}`),
  index("ledger_entries_ref_idx").on(t.refType, t.refId),
  index("ledger_entries_merchant_idx").on(t.merchantId, t.createdAt.desc()),
  index("ledger_entries_debit_idx").on(t.debitAccountId),
  index("ledger_entries_credit_idx").on(t.creditAccountId),
]);
