// Sealing small secrets kept in the database (a user's TOTP secret): AES-256-GCM under a key
// derived from AUTH_SECRET with HKDF, so a copy of the database alone does not reveal them.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

function key(purpose: string): Buffer {
  const secret = process.env.AUTH_SECRET;
  if (!secret) throw new Error("AUTH_SECRET is not set");
  return Buffer.from(hkdfSync("sha256", secret, "tollgate", purpose, 32));
}

/** iv · tag · ciphertext, base64url. */
export function seal(plain: string, purpose: string): string {
  const iv = randomBytes(12);
  const c = createCipheriv("aes-256-gcm", key(purpose), iv);
  const body = Buffer.concat([c.update(plain, "utf8"), c.final()]);
  return Buffer.concat([iv, c.getAuthTag(), body]).toString("base64url");
}

export function open(sealed: string, purpose: string): string {
  const raw = Buffer.from(sealed, "base64url");
  const d = createDecipheriv("aes-256-gcm", key(purpose), raw.subarray(0, 12));
  d.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString("utf8");
}
