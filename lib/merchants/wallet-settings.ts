// Merchant settings for deposit addresses: what GET /v1/income counts, and the seed 002 request
// signing secret (generated here, shown once, never logged).
import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { merchants } from "@/db/schema";
import { db } from "@/lib/db/client";

export type CountingSide = "deposit" | "hot_wallet";

export async function getWalletSettings(merchantId: string): Promise<{ countingSide: CountingSide; hasSigningSecret: boolean } | null> {
  const [m] = await db().select({ side: merchants.incomeCountingSide, secret: merchants.requestSigningSecret }).from(merchants).where(eq(merchants.id, merchantId));
  return m ? { countingSide: m.side, hasSigningSecret: m.secret !== null } : null;
}

export async function setCountingSide(merchantId: string, side: CountingSide): Promise<void> {
  await db().update(merchants).set({ incomeCountingSide: side }).where(eq(merchants.id, merchantId));
}

/** A new secret (replacing any old one), returned once. */
export async function rotateSigningSecret(merchantId: string): Promise<string> {
  const secret = randomBytes(32).toString("hex");
  await db().update(merchants).set({ requestSigningSecret: secret }).where(eq(merchants.id, merchantId));
  return secret;
}

export async function removeSigningSecret(merchantId: string): Promise<void> {
  await db().update(merchants).set({ requestSigningSecret: null }).where(eq(merchants.id, merchantId));
}
