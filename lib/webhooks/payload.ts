// The body every target receives for an event: the API's event object (lib/events/list-events
// serializeEvent), serialized once per attempt from the stored row (the same bytes on every retry).
import type { EventRow } from "@/lib/events/emit";
import { serializeEvent, type EventView } from "@/lib/events/list-events";

export type EventObject = EventView;
export const eventObject = serializeEvent;

export function eventBody(row: EventRow): string {
  return JSON.stringify(serializeEvent(row));
}
