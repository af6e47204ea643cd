// Who is calling: a secret API key (Bearer or one of the seed dialects' alias headers).
import { authenticateKey, type KeyPrincipal } from "@/lib/api-keys/keys";
import { errors } from "./errors";

export type Principal =
  | ({ kind: "key" } & KeyPrincipal)
  | { kind: "client_secret"; merchantId: string; livemode: boolean; sessionId: string }
  | { kind: "anonymous" };

// Seed 000 sends x-api-key, seed 004 FRX-API, seed 002 Api-key (API.md "Auth").
const ALIAS_HEADERS = ["x-api-key", "frx-api", "api-key"] as const;

/** The presented secret key, or null when the request carries none. */
export function presentedKey(headers: Headers): string | null {
  const auth = headers.get("authorization");
  if (auth) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    if (!m) throw errors.authentication("Authorization header must be of the form 'Bearer <secret key>'.", "invalid_authorization_header");
    return m[1];
  }
  for (const h of ALIAS_HEADERS) {
    const v = headers.get(h)?.trim();
    if (v) return v;
  }
  return null;
}

export async function keyPrincipal(headers: Headers): Promise<(Principal & { kind: "key" }) | null> {
  const key = presentedKey(headers);
  if (key === null) return null;
  const p = await authenticateKey(key);
  if (!p) throw errors.authentication("Invalid API key provided.", "invalid_api_key");
  return { kind: "key", ...p };
}
