"use server";
// Team (issue 20): invite a member with a role (the link is in this action's return value only,
// never stored, logged or put in a cookie), revoke a pending invitation, change a member's role,
// remove a member. Owners and admins only (lib/team/roles.ts); which members and roles each may
// touch, and the last owner, are checked in lib/team.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { badForm, INVALID_FORM } from "@/lib/forms/checked-form";
import { authorize } from "@/lib/team/guard";
import { createTeamInvitation, revokeTeamInvitation } from "@/lib/team/invitations";
import { changeMemberRole, removeMember } from "@/lib/team/members";
import type { TeamRole } from "@/lib/team/roles";

export type CreatedTeamInvitation = { id: string; token: string; email: string | null; role: TeamRole; expiresAt: string };
export type InviteMemberState = { error?: string; created?: CreatedTeamInvitation };
export type TeamActionState = { error?: string; ok?: string };
export type RemoveState = { error?: string; revoked?: boolean };

const PATH = "/dashboard/team";
const emailSchema = z.union([z.literal(""), z.string().trim().max(320, "That email address is too long.").pipe(z.email("Enter a valid email address, or leave it empty."))]);

export async function inviteMemberAction(_prev: InviteMemberState, data: FormData): Promise<InviteMemberState> {
  if (badForm(data)) return { error: INVALID_FORM };
  const a = await authorize("team:write");
  if (!a.ok) return { error: a.error };
  const email = emailSchema.safeParse(String(data.get("email") ?? "").trim());
  if (!email.success) return { error: email.error.issues[0]?.message ?? "Enter a valid email address." };
  const role = String(data.get("role") ?? "");
  const r = await createTeamInvitation(a.me, email.data || null, role);
  if (!r.ok) return { error: r.error };
  revalidatePath(PATH);
  return { created: { id: r.id, token: r.token, email: email.data || null, role: role as TeamRole, expiresAt: r.expiresAt.toISOString() } };
}

export async function revokeTeamInvitationAction(_prev: RemoveState, data: FormData): Promise<RemoveState> {
  if (badForm(data)) return { error: INVALID_FORM };
  const a = await authorize("team:write");
  if (!a.ok) return { error: a.error };
  const id = z.uuid().safeParse(data.get("id"));
  const revoked = id.success && (await revokeTeamInvitation(a.me, id.data));
  revalidatePath(PATH);
  return revoked ? { revoked: true } : { error: "This invitation doesn't exist, has been used, or isn't yours to revoke." };
}

export async function changeRoleAction(_prev: TeamActionState, data: FormData): Promise<TeamActionState> {
  if (badForm(data)) return { error: INVALID_FORM };
  const a = await authorize("team:write");
  if (!a.ok) return { error: a.error };
  const id = z.uuid().safeParse(data.get("userId"));
  if (!id.success) return { error: "This member isn't on your team." };
  const r = await changeMemberRole(a.me, id.data, String(data.get("role") ?? ""));
  revalidatePath(PATH);
  return r.ok ? { ok: "Role saved." } : { error: r.error };
}

export async function removeMemberAction(_prev: RemoveState, data: FormData): Promise<RemoveState> {
  if (badForm(data)) return { error: INVALID_FORM };
  const a = await authorize("team:write");
  if (!a.ok) return { error: a.error };
  const id = z.uuid().safeParse(data.get("userId"));
  if (!id.success) return { error: "This member isn't on your team." };
  const r = await removeMember(a.me, id.data);
  revalidatePath(PATH);
  return r.ok ? { revoked: true } : { error: r.error };
}
