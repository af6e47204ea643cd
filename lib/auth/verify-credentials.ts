// Checks an email and password against the users table. Unknown email and wrong password are
// indistinguishable to the caller, in result and (roughly) in time.
import { sql } from "drizzle-orm";
import { users } from "@/db/schema";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { db } from "@/lib/db/client";

export type VerifiedUser = { userId: string; merchantId: string; email: string };

let dummyHash: Promise<string> | undefined;

export async function verifyCredentials(email: string, password: string): Promise<VerifiedUser | null> {
  const [user] = await db().select({ id: users.id, merchantId: users.merchantId, email: users.email, passwordHash: users.passwordHash })
    .from(users).where(sql`lower(${users.email}) = lower(${email.trim()})`).limit(1);
  if (!user) {
    // Spend the same scrypt work as a real check so response time does not reveal which emails exist.
    dummyHash ??= hashPassword("tollgate-dummy-password");
    await verifyPassword(password, await dummyHash);
    return null;
  }
  if (!(await verifyPassword(password, user.passwordHash))) return null;
  return { userId: user.id, merchantId: user.merchantId, email: user.email };
}
