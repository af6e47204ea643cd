// The instance's operator (merchants.is_operator, the first account): only it sees the hot
// wallets, the instance's accounts and solvency, and manages invitations. Anyone else asking for
// an operator page or action gets the same answer as for a page that does not exist.
import "server-only";
import { eq } from "drizzle-orm";
import { notFound } from "next/navigation";
import { cache } from "react";
import { merchants } from "@/db/schema";
import { requireMerchant, type MerchantSession } from "@/lib/auth/session";
import { db } from "@/lib/db/client";

export const isOperator = cache(async (merchantId: string): Promise<boolean> => {
  const [m] = await db().select({ op: merchants.isOperator }).from(merchants).where(eq(merchants.id, merchantId));
  return m?.op ?? false;
});

/** The signed-in merchant when it is the operator; a 404 for every other merchant. */
export async function requireOperator(): Promise<MerchantSession> {
  const m = await requireMerchant();
  if (!(await isOperator(m.merchantId))) notFound();
  return m;
}
