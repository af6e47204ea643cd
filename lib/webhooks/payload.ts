// The body every target receives for an event: the API's event object, serialized once per
// attempt from the stored row (the same bytes on every retry).
import type { EventRow } from "@/lib/events/emit";

export type EventObject = { id: string; type: string; createdAt: number; livemode: boolean; data: { object: unknown } };

export function eventObject(row: EventRow): EventObject {
  return {
    id: row.id,
    type: row.type,
    createdAt: Math.floor(row.createdAt.getTime() / 1000),
    livemode: row.livemode,
    data: { object: row.data },
  };
}

export function eventBody(row: EventRow): string {
  return JSON.stringify(eventObject(row));
}
