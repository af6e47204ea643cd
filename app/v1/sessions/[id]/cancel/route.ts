// POST /v1/sessions/{id}/cancel – expire a session that has not been paid
import { handle, methods } from "@/lib/api/route";
import { db } from "@/lib/db/client";
import { cancelSession as cancel } from "@/lib/sessions/cancel-session";
import { sessionView } from "@/lib/sessions/serialize";
import { cancelSession } from "./cancel.types";

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  POST: handle(cancelSession, async ({ principal, params, log }) => {
    const row = await cancel(principal, params.id);
    log.info({ sessionId: row.id }, "session canceled");
    return { body: { session: await sessionView(db(), row, "full") } };
  }),
});
