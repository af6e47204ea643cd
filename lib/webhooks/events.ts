// The events API (list, get) and an event's deliveries: the log of attempts, redelivery and the
// test event. Everything is scoped to one merchant and mode; another's ids are "not found".
import { and, asc, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import { events, webhookAttempts, webhookDeliveries, webhookEndpoints } from "@/db/schema";
import { errors } from "@/lib/api/errors";
import { db, withTransaction } from "@/lib/db/client";
import { newEventId, type EventRow } from "@/lib/events/emit";
import { addDeliveryJob } from "./enqueue";
import { endpointView, getEndpoint, type EndpointRow, type Scope } from "./endpoints";
import { TEST_EVENT_TYPE } from "./event-types";
import { newDeliveryId } from "./ids";
import { eventObject } from "./payload";

export type DeliveryRow = typeof webhookDeliveries.$inferSelect;
export type AttemptRow = typeof webhookAttempts.$inferSelect;

const unix = (d: Date | null) => (d ? Math.floor(d.getTime() / 1000) : null);

export function attemptView(a: AttemptRow) {
  return {
    id: String(a.id), createdAt: unix(a.createdAt)!, url: a.url, requestHeaders: a.requestHeaders as Record<string, string>,
    statusCode: a.statusCode, latencyMs: a.latencyMs, responseBody: a.responseBody, error: a.error, outcome: a.outcome, manual: a.manual,
  };
}

export function deliveryView(d: DeliveryRow, endpointUrl: string | null, attempts: AttemptRow[]) {
  return {
    id: d.id, object: "webhook_delivery" as const, eventId: d.eventId, endpointId: d.endpointId, url: endpointUrl ?? d.targetUrl ?? "",
    status: d.status, attemptCount: d.attemptCount, lastStatusCode: d.lastStatusCode,
    nextAttemptAt: unix(d.nextAttemptAt), lastAttemptAt: unix(d.lastAttemptAt), createdAt: unix(d.createdAt)!,
    attempts: attempts.map(attemptView),
  };
}
export type DeliveryView = ReturnType<typeof deliveryView>;

export async function findEvent(scope: Scope, id: string): Promise<EventRow | null> {
  const [row] = await db().select().from(events).where(and(eq(events.id, id), eq(events.merchantId, scope.merchantId), eq(events.livemode, scope.livemode)));
  return row ?? null;
}

export async function getEvent(scope: Scope, id: string): Promise<EventRow> {
  const row = await findEvent(scope, id);
  if (!row) throw errors.notFound("event", "id");
  return row;
}

export async function listEvents(scope: Scope, opts: { type?: string; limit?: number; startingAfter?: string }) {
  const limit = opts.limit ?? 20;
  const conds: SQL[] = [eq(events.merchantId, scope.merchantId), eq(events.livemode, scope.livemode)];
  if (opts.type) conds.push(eq(events.type, opts.type));
  if (opts.startingAfter !== undefined) {
    const cursor = await findEvent(scope, opts.startingAfter);
    if (!cursor) throw errors.notFound("event", "startingAfter");
    // in SQL so created_at keeps its microseconds
    conds.push(sql`(${events.createdAt}, ${events.id}) < (select e.created_at, e.id from ${events} e where e.id = ${cursor.id})`);
  }
  const rows = await db().select().from(events).where(and(...conds)).orderBy(desc(events.createdAt), desc(events.id)).limit(limit + 1);
  return { data: rows.slice(0, limit).map(eventObject), hasMore: rows.length > limit };
}

/** Deliveries with their attempts (oldest attempt first), for the API and the dashboard's log. */
export async function deliveryViews(rows: DeliveryRow[]): Promise<DeliveryView[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const attempts = await db().select().from(webhookAttempts).where(inArray(webhookAttempts.deliveryId, ids)).orderBy(asc(webhookAttempts.id));
  const epIds = [...new Set(rows.map((r) => r.endpointId).filter((x): x is string => x !== null))];
  const eps = epIds.length ? await db().select({ id: webhookEndpoints.id, url: webhookEndpoints.url }).from(webhookEndpoints).where(inArray(webhookEndpoints.id, epIds)) : [];
  const urlOf = new Map(eps.map((e) => [e.id, e.url]));
  return rows.map((d) => deliveryView(d, d.endpointId ? urlOf.get(d.endpointId) ?? null : null, attempts.filter((a) => a.deliveryId === d.id)));
}

export async function eventDeliveries(scope: Scope, eventId: string): Promise<DeliveryView[]> {
  const ev = await getEvent(scope, eventId);
  const rows = await db().select().from(webhookDeliveries).where(eq(webhookDeliveries.eventId, ev.id)).orderBy(asc(webhookDeliveries.createdAt), asc(webhookDeliveries.id));
  return deliveryViews(rows);
}

/**
 * Sends the event again now: to one endpoint (creating its delivery if the endpoint did not exist or
 * was not subscribed then) or to every target it was delivered to. The delivery keeps its id, so
 * receivers see the same `webhook-id` and can deduplicate; a failed redelivery retries on the schedule.
 */
export async function redeliver(scope: Scope, eventId: string, endpointId?: string): Promise<DeliveryView[]> {
  const ev = await getEvent(scope, eventId);
  let endpoint: EndpointRow | undefined;
  if (endpointId !== undefined) {
    endpoint = await getEndpoint(scope, endpointId).catch(() => { throw errors.notFound("webhook endpoint", "endpointId"); });
    if (!endpoint.enabled) throw errors.conflict("This webhook endpoint is disabled; enable it first.", "endpoint_disabled", "endpointId");
  }
  const ids = await withTransaction(async () => {
    const conds: SQL[] = [eq(webhookDeliveries.eventId, ev.id)];
    if (endpoint) conds.push(eq(webhookDeliveries.endpointId, endpoint.id));
    let rows = await db().select().from(webhookDeliveries).where(and(...conds)).for("update");
    if (endpoint && rows.length === 0) {
      rows = await db().insert(webhookDeliveries).values({ id: newDeliveryId(), eventId: ev.id, endpointId: endpoint.id, merchantId: ev.merchantId, livemode: ev.livemode }).returning();
    }
    if (rows.length === 0) throw errors.unprocessable("This event was not delivered anywhere; pass endpointId to send it to an endpoint.", "no_deliveries");
    for (const d of rows) {
      await db().update(webhookDeliveries).set({ status: "pending", nextAttemptAt: new Date() }).where(eq(webhookDeliveries.id, d.id));
      await addDeliveryJob(db(), d.id, undefined, true);
    }
    return rows.map((r) => r.id);
  });
  return deliveryViews(await db().select().from(webhookDeliveries).where(inArray(webhookDeliveries.id, ids)));
}

/** A `webhook.test` event delivered to this endpoint only (whatever it subscribes to). */
export async function sendTestEvent(scope: Scope, endpointId: string): Promise<{ event: EventRow; delivery: DeliveryView }> {
  const ep = await getEndpoint(scope, endpointId);
  if (!ep.enabled) throw errors.conflict("This webhook endpoint is disabled; enable it first.", "endpoint_disabled", "id");
  const { event, delivery } = await withTransaction(async () => {
    const [event] = await db().insert(events).values({
      id: newEventId(), merchantId: ep.merchantId, livemode: ep.livemode, type: TEST_EVENT_TYPE, objectType: "webhook_endpoint",
      objectId: ep.id, data: endpointView(ep), createdAt: sql`clock_timestamp()`,
    }).returning();
    const [delivery] = await db().insert(webhookDeliveries).values({ id: newDeliveryId(), eventId: event.id, endpointId: ep.id, merchantId: ep.merchantId, livemode: ep.livemode }).returning();
    await addDeliveryJob(db(), delivery.id, undefined, true);
    return { event, delivery };
  });
  return { event, delivery: (await deliveryViews([delivery]))[0] };
}
