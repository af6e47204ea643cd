// One delivery attempt, run by the worker's graphile-worker task: sign the event's body with every
// valid secret, send it, store the attempt, then either finish the delivery or schedule the next
// attempt (API.md §4 schedule) by adding its job in the same statement that records the attempt.
import { eq, sql, type SQL } from "drizzle-orm";
import { events, webhookAttempts, webhookDeliveries, webhookEndpoints } from "@/db/schema";
import { db } from "@/lib/db/client";
import { logger } from "@/lib/log/logger";
import type { Resolver } from "./address-guard";
import { retryDelaySeconds, webhookConfig, type WebhookConfig } from "./config";
import { addDeliveryJobSql } from "./enqueue";
import { eventBody } from "./payload";
import { sendAttempt, type AttemptResult } from "./send";
import { signHeaders } from "./sign";

type EndpointRow = typeof webhookEndpoints.$inferSelect;

/** The secrets that sign now: the current one, and the previous one during its 24 h grace. */
export function signingSecrets(e: Pick<EndpointRow, "secret" | "previousSecret" | "previousSecretExpiresAt">, now = new Date()): string[] {
  const out = [e.secret];
  if (e.previousSecret && e.previousSecretExpiresAt && e.previousSecretExpiresAt > now) out.push(e.previousSecret);
  return out;
}

export type DeliverOptions = { manual?: boolean; cfg?: WebhookConfig; resolver?: Resolver };

export async function deliver(deliveryId: string, opts: DeliverOptions = {}): Promise<void> {
  const cfg = opts.cfg ?? webhookConfig();
  const [row] = await db().select({ d: webhookDeliveries, ev: events, ep: webhookEndpoints }).from(webhookDeliveries)
    .innerJoin(events, eq(events.id, webhookDeliveries.eventId))
    .leftJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
    .where(eq(webhookDeliveries.id, deliveryId));
  // deleted (endpoint removed) or already finished by a duplicate job: at-least-once, not more than needed
  if (!row || row.d.status !== "pending") return;
  const { d, ev, ep } = row;
  const url = ep?.url ?? d.targetUrl;
  const secrets = ep ? signingSecrets(ep) : d.targetSecret ? [d.targetSecret] : [];
  const body = eventBody(ev);
  const headers = signHeaders(secrets, d.id, Math.floor(Date.now() / 1000), body);

  let result: AttemptResult;
  if (!url || secrets.length === 0) result = { statusCode: null, latencyMs: 0, responseBody: null, error: "no target", retryable: false, ok: false };
  else if (ep && !ep.enabled) result = { statusCode: null, latencyMs: 0, responseBody: null, error: "endpoint disabled", retryable: false, ok: false };
  else result = await sendAttempt(url, headers, body, { livemode: d.livemode, timeoutMs: cfg.timeoutMs, resolver: opts.resolver });

  const now = new Date();
  const attempts = d.attemptCount + 1;
  let next: Date | null = null;
  if (!result.ok && result.retryable) {
    const at = new Date(now.getTime() + retryDelaySeconds(cfg, attempts) * 1000);
    if (at.getTime() <= d.createdAt.getTime() + cfg.giveUpAfterSeconds * 1000) next = at;
  }
  const status = result.ok ? "succeeded" : next ? "pending" : "failed";
  // The attempt, the delivery's new state, its next job and the endpoint's health go to the
  // database as ONE statement (data-modifying CTEs commit together): no transaction round trips.
  const writes = [
    sql`attempt as (${db().insert(webhookAttempts).values({
      deliveryId: d.id, url: url ?? "", requestHeaders: headers, statusCode: result.statusCode, latencyMs: result.latencyMs,
      responseBody: result.responseBody, error: result.error, outcome: result.ok ? "succeeded" : next ? "retry" : "failed", manual: opts.manual ?? false,
    }).getSQL()})`,
    sql`delivery as (${db().update(webhookDeliveries).set({
      status, attemptCount: sql`${webhookDeliveries.attemptCount} + 1`, lastAttemptAt: now, lastStatusCode: result.statusCode, nextAttemptAt: next,
    }).where(eq(webhookDeliveries.id, d.id)).getSQL()})`,
  ];
  if (next) writes.push(sql`job as (${addDeliveryJobSql(d.id, next)})`);
  // a success only needs to clear a failure run that exists
  if (ep && ep.enabled && (!result.ok || ep.failingSince)) writes.push(sql`health as (${endpointHealthSql(ep.id, result.ok, cfg)})`);
  // a plain SELECT in a WITH runs only when referenced (data-modifying ones always run)
  await db().execute(sql`with ${sql.join(writes, sql`, `)} select ${next ? sql`(select count(*) from job)` : sql`1`}`);
  logger.info({ deliveryId: d.id, eventId: ev.id, endpointId: ep?.id, status: result.statusCode, ms: result.latencyMs, outcome: status, attempts }, "webhook attempt");
}

/** A success clears the failure run; a failure starts it or, after disableAfter, disables the endpoint. */
function endpointHealthSql(endpointId: string, ok: boolean, cfg: WebhookConfig): SQL {
  if (ok) {
    return sql`update webhook_endpoints set failing_since = null where id = ${endpointId} and failing_since is not null`;
  }
  const limit = `${cfg.disableAfterSeconds} seconds`;
  return sql`
    update webhook_endpoints set
      failing_since = coalesce(failing_since, now()),
      enabled = case when failing_since < now() - ${limit}::interval then false else enabled end,
      disabled_at = case when failing_since < now() - ${limit}::interval then now() else disabled_at end,
      disabled_reason = case when failing_since < now() - ${limit}::interval
        then 'Every delivery failed since ' || to_char(failing_since at time zone 'UTC', 'YYYY-MM-DD HH24:MI "UTC"') else disabled_reason end,
      updated_at = now()
    where id = ${endpointId}`;
}
