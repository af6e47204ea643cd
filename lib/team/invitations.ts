// Team invitations (issue 20): an owner or admin invites someone to its merchant with a role. The
// link `/sign-up?team-invite=<token>` is shown once; only the token's SHA-256 is stored (like the
// operator's merchant invitations, lib/invitations). 7 days, one use; an invitation that names an
// email only opens an account with that email. Accepting works whatever TOLLGATE_SIGNUP says: the
// invitation is the permission.
import { randomBytes } from "node:crypto";
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { merchants, teamInvitations, users } from "@/db/schema";
import { hashPassword } from "@/lib/auth/password";
import { db } from "@/lib/db/client";
import { pgError, UNIQUE_VIOLATION } from "@/lib/db/errors";
import { invitationHash, INVITATION_DAYS } from "@/lib/invitations/invitations";
import { EmailTakenError } from "@/lib/merchants/create-merchant";
import type { Actor } from "@/lib/team/members";
import { assignableRoles, canManageMember, isTeamRole, ROLE_LABEL, type TeamRole } from "@/lib/team/roles";

export type TeamInvitationView = { id: string; email: string | null; role: TeamRole; status: "pending" | "used" | "expired"; createdAt: Date; expiresAt: Date };

export class TeamInvitationUnusableError extends Error {
  constructor() { super("This invitation link has already been used, was revoked or has expired. Ask for a new one."); }
}
export class TeamInvitationEmailError extends Error {
  constructor() { super("This invitation is for a different email address. Sign up with the address it was sent to."); }
}

export async function createTeamInvitation(actor: Actor, email: string | null, role: string):
  Promise<{ ok: true; id: string; token: string; expiresAt: Date } | { ok: false; error: string }> {
  if (!isTeamRole(role)) return { ok: false, error: "Choose a role." };
  if (!assignableRoles(actor.role).includes(role)) return { ok: false, error: `Your role (${ROLE_LABEL[actor.role]}) can't invite ${role === "owner" ? "an owner" : `a ${role}`}.` };
  if (email) {
    const [taken] = await db().select({ id: users.id }).from(users).where(sql`lower(${users.email}) = lower(${email})`).limit(1);
    if (taken) return { ok: false, error: "Someone with this email already has an account on this instance." };
  }
  const token = randomBytes(32).toString("base64url");
  const [row] = await db().insert(teamInvitations).values({
    merchantId: actor.merchantId, tokenHash: invitationHash(token), email, role, invitedBy: actor.userId,
    expiresAt: sql`now() + make_interval(days => ${INVITATION_DAYS})`,
  }).returning({ id: teamInvitations.id, expiresAt: teamInvitations.expiresAt });
  return { ok: true, id: row.id, token, expiresAt: row.expiresAt };
}

/** The merchant's invitations not yet used (pending and expired), newest first. */
export async function listTeamInvitations(merchantId: string, limit = 100): Promise<TeamInvitationView[]> {
  const rows = await db().select().from(teamInvitations)
    .where(and(eq(teamInvitations.merchantId, merchantId), isNull(teamInvitations.usedAt)))
    .orderBy(desc(teamInvitations.createdAt)).limit(limit);
  const now = new Date();
  return rows.map((r) => ({ id: r.id, email: r.email, role: r.role, status: r.expiresAt <= now ? "expired" : "pending", createdAt: r.createdAt, expiresAt: r.expiresAt }));
}

/** Deletes one of the merchant's unused invitations the actor may manage (an admin: not an owner's). */
export async function revokeTeamInvitation(actor: Actor, id: string): Promise<boolean> {
  const [row] = await db().select({ role: teamInvitations.role }).from(teamInvitations)
    .where(and(eq(teamInvitations.id, id), eq(teamInvitations.merchantId, actor.merchantId), isNull(teamInvitations.usedAt)));
  if (!row || !canManageMember(actor.role, row.role)) return false;
  const gone = await db().delete(teamInvitations)
    .where(and(eq(teamInvitations.id, id), eq(teamInvitations.merchantId, actor.merchantId), isNull(teamInvitations.usedAt)))
    .returning({ id: teamInvitations.id });
  return gone.length > 0;
}

/** What the sign-up page shows for a link: the merchant, the role and the email; null when unusable. */
export async function teamInvitationPreview(token: string): Promise<{ merchantName: string; role: TeamRole; email: string | null } | null> {
  const [row] = await db().select({ merchantName: merchants.name, role: teamInvitations.role, email: teamInvitations.email })
    .from(teamInvitations).innerJoin(merchants, eq(merchants.id, teamInvitations.merchantId))
    .where(sql`${teamInvitations.tokenHash} = ${invitationHash(token)} and ${teamInvitations.usedAt} is null and ${teamInvitations.expiresAt} > now()`)
    .limit(1);
  return row ?? null;
}

/**
 * Opens the invited user's account in the invitation's merchant with its role, using the
 * invitation up in the same transaction. Throws TeamInvitationUnusableError, TeamInvitationEmailError
 * or EmailTakenError (nothing is written then).
 */
export async function acceptTeamInvitation(input: { token: string; email: string; name: string | null; password: string }): Promise<{ userId: string; merchantId: string; role: TeamRole }> {
  const passwordHash = await hashPassword(input.password);
  const email = input.email.trim();
  return db().transaction(async (tx) => {
    const [inv] = await tx.update(teamInvitations).set({ usedAt: sql`now()` })
      .where(sql`${teamInvitations.tokenHash} = ${invitationHash(input.token)} and ${teamInvitations.usedAt} is null and ${teamInvitations.expiresAt} > now()`)
      .returning({ id: teamInvitations.id, merchantId: teamInvitations.merchantId, role: teamInvitations.role, email: teamInvitations.email });
    if (!inv) throw new TeamInvitationUnusableError();
    if (inv.email && inv.email.trim().toLowerCase() !== email.toLowerCase()) throw new TeamInvitationEmailError();
    const taken = await tx.select({ id: users.id }).from(users).where(sql`lower(${users.email}) = lower(${email})`).limit(1);
    if (taken.length) throw new EmailTakenError();
    try {
      const [u] = await tx.insert(users).values({ merchantId: inv.merchantId, email, name: input.name?.trim() || null, passwordHash, role: inv.role })
        .returning({ id: users.id });
      await tx.update(teamInvitations).set({ usedBy: u.id }).where(eq(teamInvitations.id, inv.id));
      return { userId: u.id, merchantId: inv.merchantId, role: inv.role };
    } catch (e) {
      if (pgError(e)?.code === UNIQUE_VIOLATION) throw new EmailTakenError();
      throw e;
    }
  });
}
