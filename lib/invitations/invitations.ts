// Invitations (TOLLGATE_SIGNUP=invite, issue 13): the operator creates one, its link
// `/sign-up?invite=<token>` is shown once; only the token's SHA-256 is stored. createMerchant
// (lib/merchants/create-merchant.ts) uses one up in the transaction that opens the account.
import { createHash, randomBytes } from "node:crypto";
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { invitations } from "@/db/schema";
import { db } from "@/lib/db/client";

export const INVITATION_DAYS = 7;

export function invitationHash(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export type InvitationStatus = "pending" | "used" | "expired";
export type InvitationView = { id: string; email: string | null; status: InvitationStatus; createdAt: Date; expiresAt: Date; usedAt: Date | null };

function statusOf(r: { usedAt: Date | null; expiresAt: Date }, now: Date): InvitationStatus {
  return r.usedAt ? "used" : r.expiresAt <= now ? "expired" : "pending";
}

/** A new invitation; the token (32 random bytes, base64url) exists only in the return value. */
export async function createInvitation(createdBy: string, email: string | null): Promise<{ id: string; token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString("base64url");
  const [row] = await db().insert(invitations).values({
    tokenHash: invitationHash(token), email, createdBy,
    expiresAt: sql`now() + make_interval(days => ${INVITATION_DAYS})`,
  }).returning({ id: invitations.id, expiresAt: invitations.expiresAt });
  return { id: row.id, token, expiresAt: row.expiresAt };
}

export async function listInvitations(limit = 200): Promise<InvitationView[]> {
  const rows = await db().select().from(invitations).orderBy(desc(invitations.createdAt)).limit(limit);
  const now = new Date();
  return rows.map((r) => ({ id: r.id, email: r.email, status: statusOf(r, now), createdAt: r.createdAt, expiresAt: r.expiresAt, usedAt: r.usedAt }));
}

/** Deletes a pending (unused) invitation: its link stops working. False when there is none such. */
export async function revokeInvitation(id: string): Promise<boolean> {
  const rows = await db().delete(invitations).where(and(eq(invitations.id, id), isNull(invitations.usedAt))).returning({ id: invitations.id });
  return rows.length > 0;
}

/** Whether `token` is an unused, unexpired invitation (the sign-up page's first look; createMerchant decides). */
export async function invitationUsable(token: string): Promise<boolean> {
  const [row] = await db().select({ id: invitations.id }).from(invitations)
    .where(sql`${invitations.tokenHash} = ${invitationHash(token)} and ${invitations.usedAt} is null and ${invitations.expiresAt} > now()`).limit(1);
  return !!row;
}
