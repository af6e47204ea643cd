// Two-factor sign-in for the dashboard (issue 20): a TOTP secret per user, set up in Settings by
// scanning a QR code and confirming one code, asked for at every sign-in after the password, and
// turned off only with the password and a current code. The secret is stored sealed
// (lib/auth/secret-box); each accepted code's step is recorded so no code works twice.
import { and, eq, isNull, lt, or, sql } from "drizzle-orm";
import { users } from "@/db/schema";
import { db } from "@/lib/db/client";
import { open, seal } from "./secret-box";
import { newTotpSecret, otpauthUri, verifyTotp } from "./totp";

const PURPOSE = "totp";

export async function twoFactorEnabled(userId: string): Promise<boolean> {
  const [u] = await db().select({ on: sql<boolean>`${users.totpSecret} is not null` }).from(users).where(eq(users.id, userId));
  return u?.on ?? false;
}

/** Starts (or restarts) set-up: a new secret, kept pending until a code confirms it. */
export async function beginTwoFactorSetup(userId: string): Promise<{ secret: string; uri: string } | null> {
  const [u] = await db().select({ email: users.email, on: users.totpSecret }).from(users).where(eq(users.id, userId));
  if (!u || u.on) return null;
  const secret = newTotpSecret();
  await db().update(users).set({ totpPendingSecret: seal(secret, PURPOSE) }).where(and(eq(users.id, userId), isNull(users.totpSecret)));
  return { secret, uri: otpauthUri(secret, u.email) };
}

/** Confirms set-up with a code of the pending secret; false when the code does not match. */
export async function confirmTwoFactorSetup(userId: string, code: string): Promise<boolean> {
  const [u] = await db().select({ pending: users.totpPendingSecret }).from(users).where(and(eq(users.id, userId), isNull(users.totpSecret)));
  if (!u?.pending) return false;
  const step = verifyTotp(open(u.pending, PURPOSE), code);
  if (step === null) return false;
  const done = await db().update(users).set({ totpSecret: u.pending, totpPendingSecret: null, totpLastStep: step })
    .where(and(eq(users.id, userId), eq(users.totpPendingSecret, u.pending))).returning({ id: users.id });
  return done.length > 0;
}

/**
 * Accepts a code of the user's secret once: the step is recorded in the same statement that checks
 * it is newer than the last, so two requests with one code cannot both pass.
 */
export async function acceptCode(userId: string, code: string): Promise<boolean> {
  const [u] = await db().select({ secret: users.totpSecret, last: users.totpLastStep }).from(users).where(eq(users.id, userId));
  if (!u?.secret) return false;
  const step = verifyTotp(open(u.secret, PURPOSE), code, { lastStep: u.last });
  if (step === null) return false;
  const taken = await db().update(users).set({ totpLastStep: step })
    .where(and(eq(users.id, userId), or(isNull(users.totpLastStep), lt(users.totpLastStep, step)))).returning({ id: users.id });
  return taken.length > 0;
}

/** Turns two-factor sign-in off (the caller checked the password); needs a current code. */
export async function disableTwoFactor(userId: string, code: string): Promise<boolean> {
  if (!(await acceptCode(userId, code))) return false;
  await db().update(users).set({ totpSecret: null, totpPendingSecret: null, totpLastStep: null }).where(eq(users.id, userId));
  return true;
}
