// Secret API keys: sk_test_… / sk_live_…. Only a SHA-256 hash is stored (the key has 192 bits of
// entropy, so a fast hash is enough and lets lookups use a unique index).
import { hash, randomBytes } from "node:crypto";
import { and, desc, eq, isNull, lt, or, sql } from "drizzle-orm";
import { apiKeys, merchants } from "@/db/schema";
import { db } from "@/lib/db/client";
import { preparedQuery } from "@/lib/db/prepared";
import { cachedPrincipal, lookupGeneration, remember } from "./cache";
import { parsePermissions, RESOURCES, type Permissions } from "./permissions";

const NO_ACCESS = Object.fromEntries(Object.keys(RESOURCES).map((r) => [r, "none"])) as Permissions;

export type ApiKeyRecord = typeof apiKeys.$inferSelect;
export type PublicApiKey = Omit<ApiKeyRecord, "keyHash">;

const KEY_RE = /^sk_(test|live)_[A-Za-z0-9_-]{32}$/;

export function hashKey(key: string): string {
  return hash("sha256", key, "hex"); // one-shot: cheaper than createHash on every request
}

export function generateKey(livemode: boolean): string {
  return `sk_${livemode ? "live" : "test"}_${randomBytes(24).toString("base64url")}`;
}

/** Creates a key and returns it in full — the only time it is ever visible. */
export async function createApiKey(merchantId: string, livemode: boolean, name = "", permissions: Permissions | null = null): Promise<{ key: string; record: PublicApiKey }> {
  const key = generateKey(livemode);
  const [row] = await db().insert(apiKeys).values({
    merchantId, livemode, name: name.trim().slice(0, 100), prefix: key.slice(0, 12), keyHash: hashKey(key), permissions,
  }).returning();
  const { keyHash: _omit, ...record } = row;
  return { key, record };
}

export async function listApiKeys(merchantId: string): Promise<PublicApiKey[]> {
  const rows = await db().select().from(apiKeys).where(eq(apiKeys.merchantId, merchantId)).orderBy(desc(apiKeys.createdAt));
  return rows.map(({ keyHash: _omit, ...r }) => r);
}

/** Revokes a key of this merchant; false when no such (unrevoked) key belongs to it. */
export async function revokeApiKey(merchantId: string, id: string): Promise<boolean> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return false;
  const res = await db().update(apiKeys).set({ revokedAt: new Date() })
    .where(and(eq(apiKeys.id, id), eq(apiKeys.merchantId, merchantId), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id });
  return res.length > 0;
}

/** The merchant's defaults that creating objects needs, read with the key (one round trip for both). */
export type MerchantDefaults = { name: string; defaultExpirySeconds: number };
export type KeyPrincipal = {
  keyId: string; merchantId: string; livemode: boolean; prefix: string; merchant: MerchantDefaults;
  /** a restricted key's access per resource; null: full access */
  permissions: Permissions | null;
};

/** Resolves a presented key to its merchant and mode; null when unknown, malformed or revoked. */
// Every lookup that misses the cache runs this: a prepared statement (lib/db/prepared.ts).
const keyLookup = preparedQuery((db) => db.select({
  id: apiKeys.id, merchantId: apiKeys.merchantId, livemode: apiKeys.livemode, prefix: apiKeys.prefix,
  revokedAt: apiKeys.revokedAt, lastUsedAt: apiKeys.lastUsedAt, permissions: apiKeys.permissions,
  merchantName: merchants.name, defaultExpirySeconds: merchants.defaultExpirySeconds,
}).from(apiKeys).innerJoin(merchants, eq(merchants.id, apiKeys.merchantId)).where(eq(apiKeys.keyHash, sql.placeholder("hash"))).limit(1).prepare("api_key_lookup"));

export async function authenticateKey(key: string): Promise<KeyPrincipal | null> {
  if (!KEY_RE.test(key)) return null;
  const hash = hashKey(key);
  const cached = cachedPrincipal(hash);
  if (cached) return cached;
  const generation = lookupGeneration();
  const [row] = await keyLookup().execute({ hash });
  if (!row || row.revokedAt) return null;
  // The mode is part of the key text; a mismatch means a tampered row, never trust it.
  if ((key.startsWith("sk_live_")) !== row.livemode) return null;
  // last_used_at is written when the database is asked: at most once a minute per key and
  // process, and at least once per cache lifetime of a key in use
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) void touchKey(row.id);
  // a stored set that does not parse (edited by hand) grants nothing rather than everything
  const permissions = row.permissions === null ? null : (parsePermissions(row.permissions) ?? NO_ACCESS);
  const principal: KeyPrincipal = {
    keyId: row.id, merchantId: row.merchantId, livemode: row.livemode, prefix: row.prefix,
    merchant: { name: row.merchantName, defaultExpirySeconds: row.defaultExpirySeconds }, permissions,
  };
  remember(hash, principal, generation);
  return principal;
}

// last_used_at is written at most once a minute per key, off the request's critical path.
async function touchKey(id: string): Promise<void> {
  await db().update(apiKeys).set({ lastUsedAt: sql`now()` })
    .where(and(eq(apiKeys.id, id), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, sql`now() - interval '60 seconds'`))))
    .catch(() => {});
}
