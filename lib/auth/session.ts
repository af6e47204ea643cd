// The dashboard's signed-in merchant. Every dashboard page and server action starts with
// requireMerchant() and scopes every query by the merchantId it returns.
import "server-only";
import { and, eq } from "drizzle-orm";
import { redirect } from "next/navigation";
import { cache } from "react";
import { auth } from "@/auth";
import { merchants, users } from "@/db/schema";
import { db } from "@/lib/db/client";
import type { TeamRole } from "@/lib/team/roles";

/** role: read from the database on every request, so a role change counts on the user's next request */
export type MerchantSession = { userId: string; merchantId: string; email: string; merchantName: string; role: TeamRole };

/**
 * The signed-in user and merchant, or null. The JWT alone is not trusted to be current: the user
 * must still exist and still belong to that merchant (a deleted account signs out everywhere), and
 * the session must be of the user's current epoch (a password change signs out every other session;
 * removing a member from the team deletes its user). The role comes from the row, not the JWT.
 */
export const currentMerchant = cache(async (): Promise<MerchantSession | null> => {
  const session = await auth();
  const userId = session?.user?.id;
  const merchantId = session?.merchantId;
  if (!userId || !merchantId) return null;
  const [row] = await db()
    .select({ email: users.email, merchantName: merchants.name, sessionEpoch: users.sessionEpoch, role: users.role })
    .from(users)
    .innerJoin(merchants, eq(merchants.id, users.merchantId))
    .where(and(eq(users.id, userId), eq(users.merchantId, merchantId)))
    .limit(1);
  if (!row || row.sessionEpoch !== (session?.sessionEpoch ?? "0")) return null;
  return { userId, merchantId, email: row.email, merchantName: row.merchantName, role: row.role };
});

/** The signed-in merchant; anyone else is sent to /sign-in. */
export async function requireMerchant(): Promise<MerchantSession> {
  const m = await currentMerchant();
  if (!m) redirect("/sign-in");
  return m;
}
