// The clientSecret credential for `handle(..., { resolveClientSecret })`: a session's secret
// authenticates requests about that session only (the route's {id}).
import type { Principal } from "@/lib/api/auth";
import type { ClientSecretResolver } from "@/lib/api/route";
import { clientSecretMatches, findCheckoutById } from "./get-session";

export const resolveSessionClientSecret: ClientSecretResolver = async (secret, params) => {
  const row = params.id ? await findCheckoutById(params.id) : null;
  if (!row || !clientSecretMatches(row, secret)) return null;
  const principal: Principal = { kind: "client_secret", merchantId: row.merchantId, livemode: row.livemode, sessionId: row.id };
  return principal;
};
