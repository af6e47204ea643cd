// The clientSecret credential for `handle(..., { resolveClientSecret })`: a session's secret
// authenticates requests about that session only (the route's {id}). A session that does not exist
// is a 404 whatever secret comes with it (seed 003; the id is the capability, as GET shows).
import type { Principal } from "@/lib/api/auth";
import { errors } from "@/lib/api/errors";
import type { ClientSecretResolver } from "@/lib/api/route";
import { clientSecretMatches, findCheckoutById } from "./get-session";

export const resolveSessionClientSecret: ClientSecretResolver = async (secret, params) => {
  const row = params.id ? await findCheckoutById(params.id) : null;
  if (!row) throw errors.notFound("session", "id");
  if (secret === null || !clientSecretMatches(row, secret)) return null;
  const principal: Principal = { kind: "client_secret", merchantId: row.merchantId, livemode: row.livemode, sessionId: row.id };
  return principal;
};
