// A merchant account with its first dashboard user, in one transaction.
import { createHash } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { invitations, merchants, users } from "@/db/schema";
import type { Tx } from "@/lib/events/emit";
import { hashPassword } from "@/lib/auth/password";
import { db } from "@/lib/db/client";
import { pgError, UNIQUE_VIOLATION } from "@/lib/db/errors";

export class EmailTakenError extends Error {
  constructor() { super("An account with this email already exists."); }
}

export class InvitationRequiredError extends Error {
  constructor() { super("This instance opens accounts by invitation only. Ask its operator for an invitation link."); }
}

export type NewMerchant = { merchantId: string; userId: string; isOperator: boolean };

/**
 * The first account of an instance is its operator (it sees the hot wallets and solvency and
 * invites merchants). With TOLLGATE_SIGNUP=invite every later account needs an unused, unexpired
 * invitation token, used up in the same transaction; with `open`, a token given is used up too
 * (an unknown, used or expired one is refused: InvitationRequiredError).
 */
export async function createMerchant(input: { name: string; email: string; password: string; invitation?: string | null; policy?: "open" | "invite" }): Promise<NewMerchant> {
  const passwordHash = await hashPassword(input.password);
  return db().transaction(async (tx) => {
    const taken = await tx.select({ id: users.id }).from(users).where(sql`lower(${users.email}) = lower(${input.email})`).limit(1);
    if (taken.length) throw new EmailTakenError();
    // one operator: the unique partial index settles two first sign-ups racing
    const none = async () => (await tx.execute<{ none: boolean }>(sql`select not exists (select 1 from merchants) as none`)).rows[0].none;
    let first = await none();
    if (first) {
      // two first sign-ups racing: the second waits here and becomes an ordinary merchant
      await tx.execute(sql`lock table merchants in share row exclusive mode`);
      first = await none();
    }
    // an invitation link that was followed is used up whatever the policy (open: a used or
    // expired link is refused rather than silently ignored, so a link works once)
    const invitationId = first || (input.policy !== "invite" && !input.invitation) ? null : await takeInvitation(tx, input.invitation ?? null);
    const [m] = await tx.insert(merchants).values({ name: input.name.trim(), isOperator: first }).returning({ id: merchants.id });
    if (invitationId) await tx.update(invitations).set({ usedBy: m.id }).where(eq(invitations.id, invitationId));
    try {
      const [u] = await tx.insert(users).values({ merchantId: m.id, email: input.email.trim(), passwordHash }).returning({ id: users.id });
      return { merchantId: m.id, userId: u.id, isOperator: first };
    } catch (e) {
      // a concurrent sign-up with the same email lost the race on the unique index
      if (pgError(e)?.code === UNIQUE_VIOLATION) throw new EmailTakenError();
      throw e;
    }
  });
}

/** Marks the invitation used; throws InvitationRequiredError when it is missing, unknown, used or expired. */
async function takeInvitation(tx: Tx, token: string | null): Promise<string> {
  if (!token) throw new InvitationRequiredError();
  const hash = createHash("sha256").update(token).digest("hex");
  const [row] = await tx.update(invitations).set({ usedAt: sql`now()` })
    .where(sql`${invitations.tokenHash} = ${hash} and ${invitations.usedAt} is null and ${invitations.expiresAt} > now()`)
    .returning({ id: invitations.id });
  if (!row) throw new InvitationRequiredError();
  return row.id;
}
