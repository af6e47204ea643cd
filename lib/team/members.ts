// A merchant's team (issue 20): its users and their roles. Changing a role or removing a member
// is checked against the permission table (lib/team/roles.ts) and, under a lock on the team's
// rows, against the last owner: a merchant always keeps at least one owner. Removing a member
// deletes its user, which signs it out everywhere at once (lib/auth/session.ts finds no user).
import { and, asc, eq, sql } from "drizzle-orm";
import { users } from "@/db/schema";
import { db } from "@/lib/db/client";
import type { Tx } from "@/lib/events/emit";
import { assignableRoles, canManageMember, isTeamRole, ROLE_LABEL, type TeamRole } from "@/lib/team/roles";

export type Member = { id: string; email: string; name: string | null; role: TeamRole; twoFactor: boolean; joinedAt: Date };
export type Actor = { userId: string; merchantId: string; role: TeamRole };
export type TeamResult = { ok: true } | { ok: false; error: string };

export const LAST_OWNER = "This account needs at least one owner. Make another member an owner first.";
const NOT_FOUND = "This member isn't on your team.";

export async function listMembers(merchantId: string): Promise<Member[]> {
  return db().select({
    id: users.id, email: users.email, name: users.name, role: users.role,
    twoFactor: sql<boolean>`${users.totpSecret} is not null`, joinedAt: users.createdAt,
  }).from(users).where(eq(users.merchantId, merchantId)).orderBy(asc(users.createdAt), asc(users.email));
}

/** The team's rows, locked for the rest of the transaction (two owners demoting each other at once: one wins). */
async function lockedTeam(tx: Tx, merchantId: string): Promise<{ id: string; role: TeamRole }[]> {
  return tx.select({ id: users.id, role: users.role }).from(users).where(eq(users.merchantId, merchantId)).for("update");
}

function managed(actor: Actor, target: { id: string; role: TeamRole } | undefined): TeamResult | null {
  if (!target) return { ok: false, error: NOT_FOUND };
  if (!canManageMember(actor.role, target.role)) {
    return { ok: false, error: `Your role (${ROLE_LABEL[actor.role]}) can't change ${target.role === "owner" ? "an owner" : target.role === "admin" ? "an admin" : "this member"}. Ask an owner.` };
  }
  return null;
}

export async function changeMemberRole(actor: Actor, targetId: string, role: string): Promise<TeamResult> {
  if (!isTeamRole(role)) return { ok: false, error: "Choose owner, admin, developer or viewer." };
  if (!assignableRoles(actor.role).includes(role)) return { ok: false, error: `Your role (${ROLE_LABEL[actor.role]}) can't make someone ${role === "owner" ? "an owner" : `a ${role}`}.` };
  return db().transaction(async (tx) => {
    const team = await lockedTeam(tx, actor.merchantId);
    const target = team.find((u) => u.id === targetId);
    const refused = managed(actor, target);
    if (refused) return refused;
    if (target!.role === role) return { ok: true };
    if (target!.role === "owner" && team.filter((u) => u.role === "owner").length <= 1) return { ok: false, error: LAST_OWNER };
    await tx.update(users).set({ role }).where(and(eq(users.id, targetId), eq(users.merchantId, actor.merchantId)));
    return { ok: true };
  });
}

export async function removeMember(actor: Actor, targetId: string): Promise<TeamResult> {
  if (targetId === actor.userId) return { ok: false, error: "You can't remove yourself. Ask another owner to remove you." };
  return db().transaction(async (tx) => {
    const team = await lockedTeam(tx, actor.merchantId);
    const target = team.find((u) => u.id === targetId);
    const refused = managed(actor, target);
    if (refused) return refused;
    if (target!.role === "owner" && team.filter((u) => u.role === "owner").length <= 1) return { ok: false, error: LAST_OWNER };
    // the user goes, and with it every session it had (the next request finds no user)
    await tx.delete(users).where(and(eq(users.id, targetId), eq(users.merchantId, actor.merchantId)));
    return { ok: true };
  });
}
