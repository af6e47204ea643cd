// Checks an email and password against the users table. Unknown email and wrong password are
// indistinguishable to the caller, in result and (roughly) in time. Guessing is slowed by
// growing delays per IP and account (throttle.ts), never by a lock-out a stranger could trigger.
import { sql } from "drizzle-orm";
import { users } from "@/db/schema";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { db } from "@/lib/db/client";
import { assertNotThrottled, recordSignInFailure, recordSignInSuccess } from "@/lib/auth/throttle";
import { acceptCode } from "./two-factor";

export type VerifiedUser = { userId: string; merchantId: string; email: string; sessionEpoch: string };
/** The password was right but the user signs in with a second factor: no code was sent, or a wrong one. */
export type SecondFactorNeeded = { secondFactor: "required" | "invalid" };

let dummyHash: Promise<string> | undefined;

/**
 * The user, or null for a wrong email or password. Throws SignInThrottledError while this IP or
 * account must wait (throttle.ts), HashingBusyError when too many hashes run at once.
 */
export async function verifyCredentials(email: string, password: string, ip: string, code?: string): Promise<VerifiedUser | SecondFactorNeeded | null> {
  await assertNotThrottled(ip, email);
  const user = await check(email, password);
  if (!user) {
    await recordSignInFailure(ip, email);
    return null;
  }
  if (user.twoFactor) {
    // asking for the code is no failure; a wrong code is one (throttled like a wrong password)
    if (!code) return { secondFactor: "required" };
    if (!(await acceptCode(user.userId, code))) {
      await recordSignInFailure(ip, email);
      return { secondFactor: "invalid" };
    }
  }
  await recordSignInSuccess(ip, email);
  return { userId: user.userId, merchantId: user.merchantId, email: user.email, sessionEpoch: user.sessionEpoch };
}

async function check(email: string, password: string): Promise<(VerifiedUser & { twoFactor: boolean }) | null> {
  const [user] = await db().select({
    id: users.id, merchantId: users.merchantId, email: users.email, passwordHash: users.passwordHash, sessionEpoch: users.sessionEpoch,
    twoFactor: sql<boolean>`${users.totpSecret} is not null`,
  })
    .from(users).where(sql`lower(${users.email}) = lower(${email.trim()})`).limit(1);
  if (!user) {
    // Spend the same scrypt work as a real check so response time does not reveal which emails exist.
    dummyHash ??= hashPassword("tollgate-dummy-password");
    await verifyPassword(password, await dummyHash);
    return null;
  }
  if (!(await verifyPassword(password, user.passwordHash))) return null;
  return { userId: user.id, merchantId: user.merchantId, email: user.email, sessionEpoch: user.sessionEpoch, twoFactor: user.twoFactor };
}
