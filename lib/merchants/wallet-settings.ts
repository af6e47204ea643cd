// Merchant settings for deposit addresses: what GET /v1/income counts, the seed 002 request
// signing secret (generated here, shown once, never logged) and seed 002's default max_amount.
import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { merchants } from "@/db/schema";
import { db } from "@/lib/db/client";

export type CountingSide = "deposit" | "hot_wallet";

/** seed 002 `max_amount` when the merchant has not changed it (whole units of the address's currency, as the seed document shows). */
export const DEFAULT_DEPOSIT_MAX_AMOUNT = "100000";

/** A positive decimal with at most 6 fractional digits (every currency here has at least 6 decimals). */
export const MAX_AMOUNT_PATTERN = /^(?:0|[1-9]\d{0,29})(?:\.\d{1,6})?$/;

export function checkedMaxAmount(text: string): string | null {
  const t = text.trim();
  return MAX_AMOUNT_PATTERN.test(t) && /[1-9]/.test(t) ? t : null;
}

export async function getWalletSettings(merchantId: string): Promise<{ countingSide: CountingSide; hasSigningSecret: boolean; depositMaxAmount: string } | null> {
  const [m] = await db().select({ side: merchants.incomeCountingSide, secret: merchants.requestSigningSecret, max: merchants.depositMaxAmount })
    .from(merchants).where(eq(merchants.id, merchantId));
  return m ? { countingSide: m.side, hasSigningSecret: m.secret !== null, depositMaxAmount: m.max } : null;
}

export async function depositMaxAmountOf(merchantId: string): Promise<string> {
  const [m] = await db().select({ max: merchants.depositMaxAmount }).from(merchants).where(eq(merchants.id, merchantId));
  return m?.max ?? DEFAULT_DEPOSIT_MAX_AMOUNT;
}

/** seed 002 `max_amount` given to new addresses whose request names none; returns false when `text` is not a valid amount. */
export async function setDepositMaxAmount(merchantId: string, text: string): Promise<boolean> {
  const value = checkedMaxAmount(text);
  if (value === null) return false;
  await db().update(merchants).set({ depositMaxAmount: value }).where(eq(merchants.id, merchantId));
  return true;
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
