"use server";
// Invitations (operator only): create one (its link is in this action's return value only, never
// stored, logged or put in a cookie) and revoke a pending one. Any other merchant gets the answer
// a missing page gives.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { authorize } from "@/lib/team/guard";
import { badForm, INVALID_FORM } from "@/lib/forms/checked-form";
import { isOperator } from "@/lib/dashboard/operator";
import { createInvitation, revokeInvitation } from "@/lib/invitations/invitations";

export type CreatedInvitation = { id: string; token: string; email: string | null; expiresAt: string };
export type CreateInvitationState = { error?: string; created?: CreatedInvitation };
export type RevokeInvitationState = { error?: string; revoked?: boolean };

const NOT_FOUND = "This page could not be found.";
const PATH = "/dashboard/invitations";

const emailSchema = z.union([z.literal(""), z.string().trim().max(320, "That email address is too long.").pipe(z.email("Enter a valid email address, or leave it empty."))]);

export async function createInvitationAction(_prev: CreateInvitationState, data: FormData): Promise<CreateInvitationState> {
  if (badForm(data)) return { error: INVALID_FORM };
  const a = await authorize("invitations:write");
  if (!(await isOperator(a.me.merchantId))) return { error: NOT_FOUND };
  if (!a.ok) return { error: a.error };
  const { merchantId } = a.me;
  const email = emailSchema.safeParse(String(data.get("email") ?? "").trim());
  if (!email.success) return { error: email.error.issues[0]?.message ?? "Enter a valid email address." };
  const inv = await createInvitation(merchantId, email.data || null);
  revalidatePath(PATH);
  return { created: { id: inv.id, token: inv.token, email: email.data || null, expiresAt: inv.expiresAt.toISOString() } };
}

export async function revokeInvitationAction(_prev: RevokeInvitationState, data: FormData): Promise<RevokeInvitationState> {
  if (badForm(data)) return { error: INVALID_FORM };
  const a = await authorize("invitations:write");
  if (!(await isOperator(a.me.merchantId))) return { error: NOT_FOUND };
  if (!a.ok) return { error: a.error };
  const { merchantId } = a.me;
  const id = z.uuid().safeParse(data.get("id"));
  const revoked = id.success && (await revokeInvitation(id.data));
  revalidatePath(PATH);
  return revoked ? { revoked: true } : { error: "This invitation doesn't exist or has already been used." };
}
