// GET /v1/sessions/{id} – a session: full view with the key, public view by id or clientSecret
import { errors } from "@/lib/api/errors";
import { handle, methods } from "@/lib/api/route";
import { db } from "@/lib/db/client";
import { clientSecretMatches, findCheckoutById, getSession as get } from "@/lib/sessions/get-session";
import { sessionView } from "@/lib/sessions/serialize";
import { getSession } from "./session.types";

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  GET: handle(getSession, async ({ principal, params, query }) => {
    if (principal.kind === "key") return { body: { session: await sessionView(db(), await get(principal, params.id), "full") } };
    const row = await findCheckoutById(params.id);
    if (!row) throw errors.notFound("session", "id");
    if (query.clientSecret !== undefined && !clientSecretMatches(row, query.clientSecret)) {
      throw errors.authentication("Invalid client secret for this session.", "invalid_client_secret");
    }
    return { body: { session: await sessionView(db(), row, "public") } };
  }),
});
