// GET /v1/sessions – list the key's sessions · POST /v1/sessions – create a checkout session
import { assertDestination } from "@/lib/addresses/destination-guard";
import { handle, methods } from "@/lib/api/route";
import { db } from "@/lib/db/client";
import { planSession } from "@/lib/sessions/create-session";
import { listSessions as list } from "@/lib/sessions/list-sessions";
import { serializeSession, sessionViews } from "@/lib/sessions/serialize";
import { createSession, listSessions } from "./sessions.types";

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  POST: handle(createSession, async ({ principal, body }) => {
    const { row, insert } = planSession(principal, body);
    await assertDestination("evm", row.destinationAddress, "destination.address");
    if (row.refundAddress) await assertDestination("evm", row.refundAddress, "refundAddress");
    return { status: 201, body: { session: serializeSession(row) }, write: insert };
  }),
  GET: handle(listSessions, async ({ principal, query }) => {
    const { rows, hasMore } = await list(principal, query);
    // one deposits query for the whole page
    return { body: { data: await sessionViews(db(), rows), hasMore } };
  }),
});
