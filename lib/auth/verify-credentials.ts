// Checks an email and password against the users table. Unknown email and wrong password are
// indistinguishable to the caller, in result and (roughly) in time.
import { sql } from "drizzle-orm";
import { users } from "@/db/schema";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { db } from "@/lib/db/client";

export type VerifiedUser = { userId: string; merchantId: string; email: string };

let dummyHash: Promise<string> | undefined;

// Password guessing: after MAX_FAILURES failed attempts an email is locked for WINDOW_MS (per web
// process; the counter resets on success).
const MAX_FAILURES = 10;
const WINDOW_MS = 15 * 60_000;
const failures = new Map<string, { count: number; until: number }>();

export function isLockedOut(email: string, now = Date.now()): boolean {
  const f = failures.get(email.trim().toLowerCase());
  return !!f && f.count >= MAX_FAILURES && f.until > now;
}

function recordFailure(email: string, now = Date.now()): void {
  const key = email.trim().toLowerCase();
  const f = failures.get(key);
  if (!f || f.until <= now) failures.set(key, { count: 1, until: now + WINDOW_MS });
  else f.count++;
  if (failures.size > 100_000) failures.delete(failures.keys().next().value as string);
}

export async function verifyCredentials(email: string, password: string): Promise<VerifiedUser | null> {
  if (isLockedOut(email)) return null;
  const user = await check(email, password);
  if (user) failures.delete(email.trim().toLowerCase());
  else recordFailure(email);
  return user;
}

async function check(email: string, password: string): Promise<VerifiedUser | null> {
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
