// A signed-in user changes their password: the current one is checked like a sign-in (the same
// throttle keys, so the form is no side door for guessing), then the new one is hashed and stored
// with a new session epoch, which signs the user out of every other session (lib/auth/session).
import { randomBytes } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { users } from "@/db/schema";
import { db } from "@/lib/db/client";
import { hashPassword, verifyPassword } from "./password";
import { newPasswordSchema } from "./password-policy";
import { assertNotThrottled, recordSignInFailure, recordSignInSuccess } from "./throttle";

export type ChangePasswordResult = { ok: true; sessionEpoch: string } | { ok: false; field: "current" | "next"; message: string };

/**
 * The signed-in user's row when `password` is their current one, else null — checked like a
 * sign-in, under the same throttle keys, so no settings form is a side door for guessing. Throws
 * SignInThrottledError while this IP or account must wait, HashingBusyError when too many hashes run.
 */
export async function checkCurrentPassword(user: { userId: string; merchantId: string }, password: string, ip: string) {
  const [row] = await db().select({ email: users.email, passwordHash: users.passwordHash }).from(users)
    .where(and(eq(users.id, user.userId), eq(users.merchantId, user.merchantId))).limit(1);
  if (!row) return null;
  await assertNotThrottled(ip, row.email);
  if (!(await verifyPassword(password, row.passwordHash))) {
    await recordSignInFailure(ip, row.email);
    return null;
  }
  await recordSignInSuccess(ip, row.email);
  return row;
}

/** Throws SignInThrottledError while this IP or account must wait, HashingBusyError when too many hashes run. */
export async function changePassword(user: { userId: string; merchantId: string }, current: string, next: string, ip: string): Promise<ChangePasswordResult> {
  const parsed = newPasswordSchema.safeParse(next);
  if (!parsed.success) return { ok: false, field: "next", message: parsed.error.issues[0]?.message ?? "Choose another password." };
  const row = await checkCurrentPassword(user, current, ip);
  if (!row) return { ok: false, field: "current", message: "Your current password is not correct." };
  const passwordHash = await hashPassword(parsed.data);
  // a new session epoch: every session signed in before stops working; the caller hands the new
  // epoch to the session that made the change
  const sessionEpoch = randomBytes(16).toString("base64url");
  // compare-and-set on the hash that was checked: a concurrent change wins once, not twice
  const changed = await db().update(users).set({ passwordHash, sessionEpoch })
    .where(and(eq(users.id, user.userId), eq(users.passwordHash, row.passwordHash))).returning({ id: users.id });
  if (changed.length === 0) return { ok: false, field: "current", message: "Your password was changed meanwhile. Reload the page and try again." };
  return { ok: true, sessionEpoch };
}
