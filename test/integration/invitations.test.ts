// Who may open an account (issue 13 item 7, TOLLGATE_SIGNUP): the first account of an instance
// is its operator; with policy "invite" every later one needs an unused, unexpired invitation,
// used up in the transaction that opens the account; an invitation link followed under "open"
// is used up too. A database of its own: "the first account" needs an empty merchants table.
import { createHash } from "node:crypto";
import { eq } from "drizzle-orm";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { invitations, merchants } from "@/db/schema";
import { closeDb, db } from "@/lib/db/client";
import { createInvitation, invitationUsable, listInvitations, revokeInvitation } from "@/lib/invitations/invitations";
import { createMerchant, InvitationRequiredError } from "@/lib/merchants/create-merchant";
import { useOwnDatabase } from "./helpers/own-database";

let dbName = "";
beforeAll(async () => {
  dbName = (await useOwnDatabase("invitations")).dbName;
});
afterAll(async () => {
  await closeDb();
  const admin = new pg.Client({ connectionString: inject("testEnv").adminUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${dbName} with (force)`).catch(() => {});
  await admin.end();
});

let n = 0;
const signUp = (invitation: string | null, policy: "open" | "invite" = "invite") =>
  createMerchant({ name: `M${++n}`, email: `m${n}-${Date.now()}@test.local`, password: "password-123456", invitation, policy });

describe("sign-up policy invite", () => {
  let operatorId = "";

  it("lets the first account in without an invitation, as the operator", async () => {
    const first = await signUp(null);
    expect(first.isOperator).toBe(true);
    operatorId = first.merchantId;
    const [row] = await db().select({ op: merchants.isOperator }).from(merchants).where(eq(merchants.id, operatorId));
    expect(row.op).toBe(true);
  });

  it("refuses every later account without a usable invitation; nothing is created", async () => {
    const before = (await db().select({ id: merchants.id }).from(merchants)).length;
    await expect(signUp(null)).rejects.toBeInstanceOf(InvitationRequiredError);
    await expect(signUp("not-a-token")).rejects.toBeInstanceOf(InvitationRequiredError);
    expect((await db().select({ id: merchants.id }).from(merchants)).length).toBe(before);
  });

  it("opens one account per invitation: the token is stored only as its SHA-256, used up, its reuse refused", async () => {
    const inv = await createInvitation(operatorId, "new@shop.test");
    expect(inv.token).toMatch(/^[A-Za-z0-9_-]{43}$/); // 32 random bytes, base64url
    expect(inv.expiresAt.getTime() - Date.now()).toBeGreaterThan(6.9 * 86_400_000);
    const [stored] = await db().select().from(invitations).where(eq(invitations.id, inv.id));
    expect(stored.tokenHash).toBe(createHash("sha256").update(inv.token).digest("hex"));
    expect(JSON.stringify(stored)).not.toContain(inv.token);
    expect(await invitationUsable(inv.token)).toBe(true);

    const joined = await signUp(inv.token);
    expect(joined.isOperator).toBe(false);
    const [used] = await db().select().from(invitations).where(eq(invitations.id, inv.id));
    expect(used.usedAt).not.toBeNull();
    expect(used.usedBy).toBe(joined.merchantId);
    expect(await invitationUsable(inv.token)).toBe(false);
    await expect(signUp(inv.token)).rejects.toBeInstanceOf(InvitationRequiredError);
    expect((await listInvitations()).find((i) => i.id === inv.id)?.status).toBe("used");
    expect(await revokeInvitation(inv.id)).toBe(false); // a used invitation stays on record
  });

  it("refuses an expired or revoked invitation", async () => {
    const expired = await createInvitation(operatorId, null);
    await db().update(invitations).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(invitations.id, expired.id));
    expect((await listInvitations()).find((i) => i.id === expired.id)?.status).toBe("expired");
    await expect(signUp(expired.token)).rejects.toBeInstanceOf(InvitationRequiredError);

    const revoked = await createInvitation(operatorId, null);
    expect((await listInvitations()).find((i) => i.id === revoked.id)?.status).toBe("pending");
    expect(await revokeInvitation(revoked.id)).toBe(true);
    await expect(signUp(revoked.token)).rejects.toBeInstanceOf(InvitationRequiredError);
  });

  it("two sign-ups racing on one invitation: exactly one account", async () => {
    const inv = await createInvitation(operatorId, null);
    const results = await Promise.allSettled([signUp(inv.token), signUp(inv.token), signUp(inv.token)]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results) if (r.status === "rejected") expect(r.reason).toBeInstanceOf(InvitationRequiredError);
  });
});

describe("sign-up policy open", () => {
  it("needs no invitation, but a followed link works once", async () => {
    const plain = await signUp(null, "open");
    expect(plain.isOperator).toBe(false);
    const [op] = await db().select({ id: merchants.id }).from(merchants).where(eq(merchants.isOperator, true));
    const inv = await createInvitation(op.id, null);
    await signUp(inv.token, "open");
    await expect(signUp(inv.token, "open")).rejects.toBeInstanceOf(InvitationRequiredError);
  });
});
