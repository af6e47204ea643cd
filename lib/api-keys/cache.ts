// Secret-key lookups cached in the web process: every API request authenticates, and the lookup
// was one of the two database round trips on the session-create path.
//
// Coherent across processes: PostgreSQL triggers (migration 0007) NOTIFY `tollgate_api_keys` with
// the merchant's id at the commit of anything that changes what a key authenticates as (revoked,
// re-pointed, deleted; the merchant's name or default expiry changed). Each process LISTENs on a
// connection of its own and drops that merchant's entries. The cache serves only while that
// connection is up: before it is listening, and from the moment it errors until it is listening
// again, every lookup goes to the database (and the cache starts empty). Entries also expire
// after TTL_MS, which bounds staleness should the connection die without the socket noticing.
// Only successful lookups are cached: a new key works at once, and an unknown key costs a query.
import pg from "pg";
import { databaseUrl, onCloseDb } from "@/lib/db/client";
import { logger } from "@/lib/log/logger";
import type { KeyPrincipal } from "./keys";

const CHANNEL = "tollgate_api_keys";
const TTL_MS = 30_000;
const MAX_ENTRIES = 10_000;
const RETRY_MIN_MS = 1_000;
const RETRY_MAX_MS = 30_000;

type Entry = { principal: KeyPrincipal; at: number };

type State = {
  entries: Map<string, Entry>;
  /** bumped on every invalidation: a lookup that raced one is not cached */
  generation: number;
  listening: boolean;
  client?: pg.Client;
  connecting?: Promise<void>;
  retryAt: number;
  retryMs: number;
  closed: boolean;
};

// globalThis: one listener per process even when Next.js dev re-evaluates modules
const state = ((globalThis as Record<string, unknown>).__tollgateKeyCache ??= {
  entries: new Map(), generation: 0, listening: false, retryAt: 0, retryMs: RETRY_MIN_MS, closed: false,
}) as State;

function invalidate(merchantId?: string): void {
  state.generation++;
  if (merchantId === undefined) { state.entries.clear(); return; }
  for (const [hash, e] of state.entries) if (e.principal.merchantId === merchantId) state.entries.delete(hash);
}

function lost(client: pg.Client, why: string): void {
  if (state.client !== client) return;
  state.client = undefined;
  state.listening = false;
  invalidate();
  client.removeAllListeners("notification");
  client.end().catch(() => {});
  if (state.closed) return;
  state.retryAt = Date.now() + state.retryMs;
  state.retryMs = Math.min(state.retryMs * 2, RETRY_MAX_MS);
  logger.warn({ err: why, retryInMs: state.retryAt - Date.now() }, "api key cache: listener connection lost; lookups go to the database");
}

async function listen(): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl(), keepAlive: true, application_name: "tollgate-key-cache" });
  state.client = client;
  client.on("error", (e) => lost(client, e.message));
  client.on("end", () => lost(client, "connection ended"));
  client.on("notification", (n) => { if (n.channel === CHANNEL) invalidate(n.payload || undefined); });
  try {
    await client.connect();
    await client.query(`LISTEN ${CHANNEL}`);
  } catch (e) {
    lost(client, e instanceof Error ? e.message : String(e));
    return;
  }
  if (state.client !== client || state.closed) return;
  invalidate(); // anything cached before this point may have missed a notification
  state.listening = true;
  state.retryMs = RETRY_MIN_MS;
}

function ensureListening(): void {
  if (state.closed || state.listening || state.connecting || Date.now() < state.retryAt) return;
  state.connecting = listen().finally(() => { state.connecting = undefined; });
}

/** The cached principal for a key hash, or null (not cached, expired, or the cache is not live). */
export function cachedPrincipal(hash: string): KeyPrincipal | null {
  ensureListening();
  if (!state.listening) return null;
  const e = state.entries.get(hash);
  if (!e) return null;
  if (Date.now() - e.at > TTL_MS) { state.entries.delete(hash); return null; }
  return e.principal;
}

/** Call before the database lookup; pass the result to remember(). */
export function lookupGeneration(): number {
  return state.generation;
}

/** Caches a successful lookup unless an invalidation happened since it started. */
export function remember(hash: string, principal: KeyPrincipal, generation: number): void {
  if (!state.listening || generation !== state.generation) return;
  if (state.entries.size >= MAX_ENTRIES) state.entries.delete(state.entries.keys().next().value!);
  state.entries.set(hash, { principal, at: Date.now() });
}

/** Whether lookups are being served from the cache (the listener is up). For tests and health. */
export function keyCacheLive(): boolean {
  return state.listening;
}

onCloseDb(async () => {
  state.closed = true;
  const client = state.client;
  state.client = undefined;
  state.listening = false;
  invalidate();
  await client?.end().catch(() => {});
  state.closed = false; // a later db() use may open the pool again; the listener follows lazily
  state.retryAt = 0;
});
