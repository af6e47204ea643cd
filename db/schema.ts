// Drizzle schema. Migrations under db/migrations are generated from this file by drizzle-kit
// (`npm run db:generate`) and applied at start-up and by `npm run db:migrate`.
import { sql } from "drizzle-orm";
import {
  bigint, boolean, check, customType, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid,
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
  createdAt: createdAt(),
});

/** Where forwarded funds go, per network and mode (test networks have their own addresses). */
export const settlementAddresses = pgTable("settlement_addresses", {
  merchantId: uuid("merchant_id").notNull().references(() => merchants.id, { onDelete: "cascade" }),
  network: text("network").notNull(),
  livemode: boolean("livemode").notNull(),
  address: text("address").notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.merchantId, t.network, t.livemode] })]);

export const users = pgTable("users", {
  id: uuid("id").primaryKey().defaultRandom(),
  merchantId: uuid("merchant_id").notNull().references(() => merchants.id, { onDelete: "cascade" }),
  email: text("email").notNull(),
  name: text("name"),
  passwordHash: text("password_hash").notNull(),
  createdAt: createdAt(),
}, (t) => [uniqueIndex("users_email_key").on(sql`lower(${t.email})`)]);

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
}, (t) => [uniqueIndex("api_keys_key_hash_key").on(t.keyHash), index("api_keys_merchant_idx").on(t.merchantId)]);

export const idempotencyKeys = pgTable("idempotency_keys", {
  id: bigint("id", { mode: "bigint" }).primaryKey().generatedAlwaysAsIdentity(),
  merchantId: uuid("merchant_id").notNull().references(() => merchants.id, { onDelete: "cascade" }),
  livemode: boolean("livemode").notNull(),
  key: text("key").notNull(),
  /** SHA-256 of method, path and raw body: a different request under the same key is a 409 */
  requestHash: text("request_hash").notNull(),
  responseStatus: integer("response_status"),
  responseBody: text("response_body"),
  createdAt: createdAt(),
  /** set while a request owns the key; a stale lock (crashed process) may be taken over */
  lockedAt: timestamp("locked_at", { withTimezone: true }),
  completedAt: timestamp("completed_at", { withTimezone: true }),
}, (t) => [
  uniqueIndex("idempotency_keys_scope_key").on(t.merchantId, t.livemode, t.key),
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
  // where the money goes: an asset on an EVM network, amount in base units
  network: text("network").notNull(),
  chainId: integer("chain_id").notNull(),
  /** EIP-55 checksummed */
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
