// Webhook endpoints of one merchant and mode: create (the secret is returned in full once),
// list, get, update, delete, rotate (the old secret keeps signing for 24 h) and reveal.
import { and, desc, eq, lt, or, sql, type SQL } from "drizzle-orm";
import { webhookEndpoints } from "@/db/schema";
import { errors } from "@/lib/api/errors";
import { db } from "@/lib/db/client";
import { publicAddresses, UnsafeTargetError, type Resolver } from "./address-guard";
import { ALL_EVENTS } from "./event-types";
import { privateTargetsAllowed, type InstanceMode } from "./target-policy";
import { newEndpointId } from "./ids";
import { maskSecret, newSecret } from "./secret";

export type Scope = { merchantId: string; livemode: boolean };
export type EndpointRow = typeof webhookEndpoints.$inferSelect;

export const ROTATION_GRACE_MS = 24 * 3600 * 1000;

/** The API object; `secret` is masked unless this is the response that created or rotated it. */
export function endpointView(e: EndpointRow, opts: { revealSecret?: boolean } = {}) {
  return {
    id: e.id,
    object: "webhook_endpoint" as const,
    url: e.url,
    description: e.description,
    events: e.events,
    enabled: e.enabled,
    disabledReason: e.disabledReason,
    disabledAt: e.disabledAt ? Math.floor(e.disabledAt.getTime() / 1000) : null,
    secret: opts.revealSecret ? e.secret : maskSecret(e.secret),
    livemode: e.livemode,
    createdAt: Math.floor(e.createdAt.getTime() / 1000),
  };
}

/**
 * Unless private targets are allowed (target-policy.ts: test-mode objects on a test instance), the
 * URL must not name or resolve to a non-public address. A name that does not resolve now is
 * accepted (DNS may not exist yet); the same check runs again before every delivery.
 */
export async function assertAllowedUrl(
  url: string, livemode: boolean, opts: { param?: string; resolver?: Resolver; instanceMode?: InstanceMode } = {},
): Promise<void> {
  if (privateTargetsAllowed(livemode, opts.instanceMode)) return;
  try {
    await publicAddresses(new URL(url), opts.resolver);
  } catch (e) {
    if (e instanceof UnsafeTargetError) {
      const param = opts.param ?? "url";
      throw errors.validation(`${param} must be a public address: ${e.message}.`, param, "url_not_allowed");
    }
    // resolution failure: allowed at creation, checked at delivery
  }
}

function normalizeEvents(list: readonly string[] | undefined): string[] {
  if (!list || list.length === 0 || list.includes(ALL_EVENTS)) return [ALL_EVENTS];
  return [...new Set(list)].sort();
}

export async function createEndpoint(scope: Scope, input: { url: string; events?: string[]; description?: string | null }): Promise<EndpointRow> {
  await assertAllowedUrl(input.url, scope.livemode);
  const [row] = await db().insert(webhookEndpoints).values({
    id: newEndpointId(), merchantId: scope.merchantId, livemode: scope.livemode, url: input.url,
    description: input.description ?? null, events: normalizeEvents(input.events), secret: newSecret(),
  }).returning();
  return row;
}

export async function findEndpoint(scope: Scope, id: string): Promise<EndpointRow | null> {
  const [row] = await db().select().from(webhookEndpoints).where(and(
    eq(webhookEndpoints.id, id), eq(webhookEndpoints.merchantId, scope.merchantId), eq(webhookEndpoints.livemode, scope.livemode),
  ));
  return row ?? null;
}

export async function getEndpoint(scope: Scope, id: string): Promise<EndpointRow> {
  const row = await findEndpoint(scope, id);
  if (!row) throw errors.notFound("webhook endpoint", "id");
  return row;
}

export async function listEndpoints(scope: Scope, opts: { limit?: number; startingAfter?: string } = {}): Promise<{ rows: EndpointRow[]; hasMore: boolean }> {
  const limit = opts.limit ?? 20;
  const conds: SQL[] = [eq(webhookEndpoints.merchantId, scope.merchantId), eq(webhookEndpoints.livemode, scope.livemode)];
  if (opts.startingAfter !== undefined) {
    const cursor = await getEndpoint(scope, opts.startingAfter).catch(() => { throw errors.notFound("webhook endpoint", "startingAfter"); });
    conds.push(or(lt(webhookEndpoints.createdAt, cursor.createdAt), and(eq(webhookEndpoints.createdAt, cursor.createdAt), lt(webhookEndpoints.id, cursor.id)))!);
  }
  const rows = await db().select().from(webhookEndpoints).where(and(...conds))
    .orderBy(desc(webhookEndpoints.createdAt), desc(webhookEndpoints.id)).limit(limit + 1);
  return { rows: rows.slice(0, limit), hasMore: rows.length > limit };
}

export type EndpointPatch = { url?: string; events?: string[]; enabled?: boolean; description?: string | null };

export async function updateEndpoint(scope: Scope, id: string, patch: EndpointPatch): Promise<EndpointRow> {
  const current = await getEndpoint(scope, id);
  if (patch.url !== undefined) await assertAllowedUrl(patch.url, scope.livemode);
  const set: Partial<EndpointRow> = { updatedAt: new Date() };
  if (patch.url !== undefined) set.url = patch.url;
  if (patch.events !== undefined) set.events = normalizeEvents(patch.events);
  if (patch.description !== undefined) set.description = patch.description;
  if (patch.enabled !== undefined) {
    set.enabled = patch.enabled;
    // re-enabling starts afresh: no stale failure run that would disable it again at once
    if (patch.enabled && !current.enabled) Object.assign(set, { disabledReason: null, disabledAt: null, failingSince: null });
  }
  const [row] = await db().update(webhookEndpoints).set(set).where(eq(webhookEndpoints.id, current.id)).returning();
  return row;
}

export async function deleteEndpoint(scope: Scope, id: string): Promise<void> {
  const row = await getEndpoint(scope, id);
  // its deliveries go with it (cascade); their queued jobs find nothing and end
  await db().delete(webhookEndpoints).where(eq(webhookEndpoints.id, row.id));
}

/** A new secret; the previous one keeps signing (alongside) for 24 hours. */
export async function rotateSecret(scope: Scope, id: string): Promise<EndpointRow> {
  const current = await getEndpoint(scope, id);
  const [row] = await db().update(webhookEndpoints).set({
    secret: newSecret(), previousSecret: current.secret,
    previousSecretExpiresAt: sql`now() + interval '24 hours'`, updatedAt: new Date(),
  }).where(eq(webhookEndpoints.id, current.id)).returning();
  return row;
}
