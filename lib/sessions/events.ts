// Session events carry the full session object as it is after the change (API.md §4).
import type { EventBuilder } from "@/lib/checkout/state-machine";
import type { EventType } from "@/lib/events/emit";
import { serializeSession } from "./serialize";

export function sessionEvent(type: EventType & `session.${string}`): EventBuilder {
  return (row) => ({ type, objectType: "session", data: serializeSession(row) });
}
