// What the dashboard's webhooks page reads: endpoints and the recent deliveries of one merchant and
// mode, each with its event (the request body) and its attempts.
import { and, desc, eq, inArray, type SQL } from "drizzle-orm";
import { events, webhookDeliveries } from "@/db/schema";
import { db } from "@/lib/db/client";
import type { Scope } from "./endpoints";
import { deliveryViews, type DeliveryView } from "./events";
import { eventBody } from "./payload";

export type DeliveryStatus = "pending" | "succeeded" | "failed";
export type LogEntry = DeliveryView & { eventType: string; requestBody: string };

export async function recentDeliveries(scope: Scope, opts: { status?: DeliveryStatus; endpointId?: string; limit?: number } = {}): Promise<LogEntry[]> {
  const conds: SQL[] = [eq(webhookDeliveries.merchantId, scope.merchantId), eq(webhookDeliveries.livemode, scope.livemode)];
  if (opts.status) conds.push(eq(webhookDeliveries.status, opts.status));
  if (opts.endpointId) conds.push(eq(webhookDeliveries.endpointId, opts.endpointId));
  const rows = await db().select().from(webhookDeliveries).where(and(...conds))
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id)).limit(opts.limit ?? 50);
  if (rows.length === 0) return [];
  const evs = await db().select().from(events).where(inArray(events.id, [...new Set(rows.map((r) => r.eventId))]));
  const byId = new Map(evs.map((e) => [e.id, e]));
  const views = await deliveryViews(rows);
  return views.map((v) => {
    const ev = byId.get(v.eventId)!;
    return { ...v, eventType: ev.type, requestBody: eventBody(ev) };
  });
}
