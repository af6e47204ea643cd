// Checks an email and password against the users table. Unknown email and wrong password are
// indistinguishable to the caller, in result and (roughly) in time. Guessing is slowed by
// growing delays per IP and account (throttle.ts), never by a lock-out a stranger could trigger.
import { sql } from "drizzle-orm";
import { users } from "@/db/schema";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { db } from "@/lib/db/client";
import { assertNotThrottled, recordSignInFailure, recordSignInSuccess } from "@/lib/auth/throttle";

export type VerifiedUser = { userId: string; merchantId: string; email: string; sessionEpoch: string };

let dummyHash: Promise<string> | undefined;

/**
 * The user, or null for a wrong email or password. Throws SignInThrottledError while this IP or
 * account must wait (throttle.ts), HashingBusyError when too many hashes run at once.
 */
export async function verifyCredentials(email: string, password: string, ip: string): Promise<VerifiedUser | null> {
  await assertNotThrottled(ip, email);
  const user = await check(email, password);
  if (user) await recordSignInSuccess(ip, email);
  else await recordSignInFailure(ip, email);
  return user;
}

async function check(email: string, password: string): Promise<VerifiedUser | null> {
  const [user] = await db().select({ id: users.id, merchantId: users.merchantId, email: users.email, passwordHash: users.passwordHash, sessionEpoch: users.sessionEpoch })
    .from(users).where(sql`lower(${users.email}) = lower(${email.trim()})`).limit(1);
  if (!user) {
    // Spend the same scrypt work as a real check so response time does not reveal which emails exist.
    dummyHash ??= hashPassword("tollgate-dummy-password");
    await verifyPassword(password, await dummyHash);
    return null;
  }
  if (!(await verifyPassword(password, user.passwordHash))) return null;
  return { userId: user.id, merchantId: user.merchantId, email: user.email, sessionEpoch: user.sessionEpoch };
}
