// Session events carry the full session object as it is after the change (API.md §4).
import type { EventBuilder } from "@/lib/checkout/state-machine";
import type { EventType } from "@/lib/events/emit";
import { serializeSession, type SessionDeposit, type SessionGroup } from "./serialize";

/** `view`: the session's deposits and settlement groups, for progress and deliveries in the event's object. */
export function sessionEvent(
  type: EventType & `session.${string}`,
  view: { deposits?: readonly (SessionDeposit & { status: string })[]; groups?: readonly SessionGroup[] } = {},
): EventBuilder {
  return (row) => ({
    type, objectType: "session",
    data: serializeSession(row, view.deposits?.filter((d) => d.status !== "reverted"), view.groups),
  });
}
