// Drizzle schema. Migrations under db/migrations are generated from this file by drizzle-kit
// (`npm run db:generate`) and applied at start-up and by `npm run db:migrate`.
import { sql } from "drizzle-orm";
import {
  bigint, boolean, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid,
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
