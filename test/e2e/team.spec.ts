// Team members with roles (issue 20): an owner invites a developer and a viewer through one-time
// links; what each role may do holds in the pages (disabled or hidden, with the reason) and in the
// server actions called directly (refused, nothing written); a role change counts on the member's
// next request; removal signs the member out; the last owner stays; merchants never see each
// other's team; the team pages pass axe at 1280 and 390 px.
import AxeBuilder from "@axe-core/playwright";
import { and, eq, sql } from "drizzle-orm";
import { expect, test, type Browser, type BrowserContext, type Page, type Request } from "@playwright/test";
import { apiKeys, teamInvitations, users, withdrawals } from "@/db/schema";
import { closeDb, db } from "@/lib/db/client";
import { changeMemberRole, LAST_OWNER, removeMember } from "@/lib/team/members";
import { createKey, PASSWORD, signUp, uniqueEmail } from "./helpers/dashboard";
import { mintDevnetToken } from "@/lib/devnet/deploy-tokens";
import { checkLayout } from "./helpers/layout";
import { CHAINS, USDC } from "./helpers/stack";

test.describe.configure({ timeout: 180_000 });
test.afterAll(async () => { await closeDb(); });

const DESTINATION = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed";

/** axe (WCAG 2 A/AA) at 1280 and 390 px, no sideways overflow: the serious and critical findings. */
async function axe(page: Page, name: string): Promise<string[]> {
  await checkLayout(page, undefined, name);
  const found: string[] = [];
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    const { violations } = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa"]).options({ resultTypes: ["violations"] }).analyze();
    for (const v of violations) {
      if (v.impact === "serious" || v.impact === "critical") found.push(`${name} @${width}: ${v.id} ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`);
    }
  }
  await page.setViewportSize({ width: 1280, height: 900 });
  return found;
}

async function userOf(email: string) {
  const [u] = await db().select().from(users).where(sql`lower(${users.email}) = lower(${email})`);
  return u;
}

/** Opens the team page's invite dialog, creates an invitation and returns its one-time link. */
async function invite(page: Page, role: "admin" | "developer" | "viewer" | "owner", email = ""): Promise<string> {
  await page.goto("/dashboard/team");
  const dialog = page.getByRole("dialog");
  await expect(async () => {
    await page.getByRole("button", { name: "Invite member" }).click();
    await expect(dialog).toBeVisible({ timeout: 1_000 });
  }).toPass();
  if (email) await dialog.getByLabel(/^Email/).fill(email);
  await dialog.getByRole("radio", { name: new RegExp(`^${role}`, "i") }).check();
  await dialog.getByRole("button", { name: "Create invitation" }).click();
  const link = (await dialog.getByTestId("team-invitation-link").innerText()).trim();
  expect(link).toMatch(/\/sign-up\?team-invite=[A-Za-z0-9_-]{43}$/);
  await dialog.getByRole("button", { name: "Done" }).click();
  await expect(dialog).toBeHidden();
  return link;
}

/** Follows an invitation link in a fresh browser and joins the team; returns the member's page. */
async function join(browser: Browser, link: string, email: string, expectRole: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(link);
  await expect(page.getByTestId("team-invitation-role")).toContainText(expectRole);
  const emailField = page.getByLabel("Email");
  if (await emailField.getAttribute("readonly") === null) await emailField.fill(email);
  else await expect(emailField).toHaveValue(email);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByLabel("Confirm password").fill(PASSWORD);
  await page.getByRole("button", { name: "Join the team" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  return { context, page };
}

/** A server action's request as the browser sent it, to send again from another session. */
type Captured = { url: string; headers: Record<string, string>; body: Buffer };
async function capture(page: Page, run: () => Promise<void>): Promise<Captured> {
  const seen = page.waitForRequest((r: Request) => r.method() === "POST" && !!r.headers()["next-action"]);
  await run();
  const r = await seen;
  const h = r.headers();
  return { url: r.url(), headers: { "next-action": h["next-action"], "content-type": h["content-type"], accept: "text/x-component", origin: new URL(r.url()).origin }, body: r.postDataBuffer()! };
}
async function replay(page: Page, c: Captured, edit: (body: string) => string = (b) => b): Promise<string> {
  const res = await page.request.post(c.url, { headers: c.headers, data: Buffer.from(edit(c.body.toString("latin1")), "latin1") });
  // the action's own answer (a React flight payload), not the page rendered again (whose notice says the same)
  expect(res.headers()["content-type"]).toContain("text/x-component");
  const text = await res.text();
  expect(text).not.toContain("role-notice");
  return text;
}

test("owner invites a developer and a viewer: each role can do what it may, the server refuses the rest", async ({ page, browser }) => {
  const ownerEmail = uniqueEmail("team-owner");
  await signUp(page, "Team Roastery", ownerEmail);
  const owner = await userOf(ownerEmail);
  expect(owner.role).toBe("owner");
  await expect(page.getByTestId("nav-role").first()).toHaveText("Owner");

  // the owner's own key, and its create request to replay as the viewer later
  let ownerKey = "";
  const created = await capture(page, async () => { ownerKey = await createKey(page, "owner key"); });

  // money of the merchant's own (a customer's deposit), and one withdrawal the owner makes: its
  // request is replayed by the others below
  const addr = await page.request.post("/wallet/address", { headers: { "x-api-key": ownerKey }, data: { customerId: "team", currency: "eUSDC" } });
  expect(addr.status(), await addr.text()).toBe(200);
  await mintDevnetToken(CHAINS.ethereum.rpcUrl(), USDC, ((await addr.json()) as { data: { address: `0x${string}` } }).data.address, 5_000_000n);
  await expect(async () => {
    const b = await page.request.get("/v1/balances", { headers: { Authorization: `Bearer ${ownerKey}` } });
    expect(((await b.json()) as { data: { code: string; available: string }[] }).data.find((x) => x.code === "eUSDC")?.available).toBe("5000000");
  }).toPass({ timeout: 60_000 });
  await page.goto("/dashboard/withdrawals?mode=test");
  await page.getByLabel("Currency").selectOption("eUSDC");
  await page.getByLabel("Amount").fill("1");
  await page.getByLabel("Destination address").fill(DESTINATION);
  await page.getByRole("button", { name: "Review withdrawal" }).click();
  await expect(page.getByTestId("confirm-amount")).toHaveText(/^1(\.00)? USDC$/);
  const withdrew = await capture(page, async () => { await page.getByRole("button", { name: "Confirm and send" }).click(); });
  await expect(page.getByRole("status")).toContainText("queued");
  const withdrawalCount = async () => (await db().select({ id: withdrawals.id }).from(withdrawals).where(eq(withdrawals.merchantId, owner.merchantId))).length;
  expect(await withdrawalCount()).toBe(1);
  const queryId = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;
  const anotherWithdrawal = (b: string) => b.replace(queryId, crypto.randomUUID());

  const viewerEmail = uniqueEmail("team-viewer");
  const viewerLink = await invite(page, "viewer", viewerEmail);
  const devEmail = uniqueEmail("team-dev");
  const devLink = await invite(page, "developer");
  const pending = page.locator("tr[data-team-invitation-id]");
  await expect(pending).toHaveCount(2);
  await expect(pending.filter({ hasText: viewerEmail })).toContainText("Viewer");
  const [hashRow] = await db().select({ hash: teamInvitations.tokenHash }).from(teamInvitations).where(eq(teamInvitations.email, viewerEmail));
  expect(hashRow.hash).toMatch(/^[0-9a-f]{64}$/);
  expect(viewerLink).not.toContain(hashRow.hash);

  // an invitation naming an email opens only that email's account
  {
    const other = await browser.newContext();
    const p = await other.newPage();
    await p.goto(viewerLink);
    await expect(p.getByRole("heading", { name: "Join Team Roastery" })).toBeVisible();
    await expect(p.getByLabel("Email")).toHaveValue(viewerEmail);
    await expect(p.getByLabel("Email")).toHaveAttribute("readonly", "");
    // another address, forced into the form: refused, and the link still works for the right one
    await p.getByLabel("Email").evaluate((el) => { (el as HTMLInputElement).readOnly = false; });
    await p.getByLabel("Email").fill(uniqueEmail("team-intruder"));
    await p.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await p.getByLabel("Confirm password").fill(PASSWORD);
    await p.getByRole("button", { name: "Join the team" }).click();
    await expect(p.getByRole("alert").filter({ hasText: "This invitation is for a different email address." })).toBeVisible();
    expect((await db().select({ usedAt: teamInvitations.usedAt }).from(teamInvitations).where(eq(teamInvitations.email, viewerEmail)))[0].usedAt).toBeNull();
    expect((await db().select({ id: users.id }).from(users).where(eq(users.merchantId, owner.merchantId))).length).toBe(1);
    await other.close();
  }

  // ---- the viewer
  const viewer = await join(browser, viewerLink, viewerEmail, "viewer");
  const v = viewer.page;
  expect((await userOf(viewerEmail)).role).toBe("viewer");
  expect((await userOf(viewerEmail)).merchantId).toBe(owner.merchantId);
  await expect(v.getByText("Team Roastery").first()).toBeVisible();
  await expect(v.getByTestId("nav-role").first()).toHaveText("Viewer");
  // a used link is used
  {
    const other = await browser.newContext();
    const p = await other.newPage();
    await p.goto(viewerLink);
    await expect(p.getByTestId("team-invitation-unusable")).toBeVisible();
    await other.close();
  }

  // reads everything: the owner's key is listed; creating one is disabled with the reason
  await v.goto("/dashboard/api-keys");
  await expect(v.getByRole("row", { name: /owner key/ })).toBeVisible();
  await expect(v.getByTestId("role-notice")).toContainText("Your role (Viewer) can't manage API keys");
  await expect(v.getByRole("button", { name: "Create secret key" })).toBeDisabled();
  await expect(v.getByRole("button", { name: /Revoke/ })).toBeDisabled();
  // the create action sent directly with the viewer's session: refused, no key written
  const keysBefore = (await db().select({ id: apiKeys.id }).from(apiKeys).where(eq(apiKeys.merchantId, owner.merchantId))).length;
  expect(keysBefore).toBe(1);
  const answer = await replay(v, created);
  expect(answer).toContain("Your role (Viewer) can't manage API keys.");
  expect(answer).not.toMatch(/sk_test_[A-Za-z0-9_-]{32}/);
  expect((await db().select({ id: apiKeys.id }).from(apiKeys).where(eq(apiKeys.merchantId, owner.merchantId))).length).toBe(keysBefore);

  // withdrawals: the form is disabled; forced open, the server refuses the review, and the owner's
  // confirmed withdrawal sent again with the viewer's session (a new query id) queues nothing
  await v.goto("/dashboard/withdrawals?mode=test");
  await expect(v.getByTestId("role-notice")).toContainText("can't make withdrawals");
  await expect(v.locator("tr[data-withdrawal-id]")).toHaveCount(1);
  await expect(v.locator("tr[data-withdrawal-id]").getByRole("button", { name: "Cancel" })).toHaveCount(0);
  const review = v.getByRole("button", { name: "Review withdrawal" });
  await expect(review).toBeDisabled();
  await v.getByLabel("Currency").selectOption("eUSDC");
  await v.getByLabel("Amount").fill("1");
  await v.getByLabel("Destination address").fill(DESTINATION);
  await review.evaluate((b) => (b as HTMLButtonElement).removeAttribute("disabled"));
  await review.click();
  await expect(v.getByRole("alert").filter({ hasText: "Your role (Viewer) can't make withdrawals." })).toBeVisible();
  await expect(v.getByRole("button", { name: "Confirm and send" })).toHaveCount(0);
  const refusedWithdrawal = await replay(v, withdrew, anotherWithdrawal);
  expect(refusedWithdrawal).toContain("Your role (Viewer) can't make withdrawals.");
  expect(await withdrawalCount()).toBe(1);

  // settings: shown, not changeable (own password still is); team: no controls
  await v.goto("/dashboard/settings");
  await expect(v.getByTestId("merchant-settings")).toHaveAttribute("disabled", "");
  await expect(v.getByRole("button", { name: "Save changes" })).toBeDisabled();
  await v.goto("/dashboard/team");
  await expect(v.getByRole("button", { name: "Invite member" })).toBeDisabled();
  await expect(v.getByRole("button", { name: /^Remove/ })).toHaveCount(0);
  await expect(v.getByRole("combobox")).toHaveCount(0);

  // ---- the developer (an invitation without an email: any address)
  const dev = await join(browser, devLink, devEmail, "developer");
  const d = dev.page;
  expect((await userOf(devEmail)).role).toBe("developer");
  const devKey = await createKey(d, "developer key");
  expect(devKey).toMatch(/^sk_test_/);
  await d.goto("/dashboard/withdrawals");
  await expect(d.getByTestId("role-notice")).toContainText("Your role (Developer) can't make withdrawals");
  await expect(d.getByRole("button", { name: "Review withdrawal" })).toBeDisabled();
  expect(await replay(d, withdrew, anotherWithdrawal)).toContain("Your role (Developer) can't make withdrawals.");
  expect(await withdrawalCount()).toBe(1);
  await d.goto("/dashboard/webhooks");
  await expect(d.getByRole("button", { name: /Add endpoint/ })).toBeEnabled();
  await d.goto("/dashboard/payment-links");
  await expect(d.getByTestId("role-notice")).toContainText("can't manage payment links");

  // ---- the owner's team page: four columns of truth, then a role change without signing out
  await page.goto("/dashboard/team");
  await expect(page.locator("tr[data-member-email]")).toHaveCount(3);
  await expect(page.locator("tr[data-team-invitation-id]")).toHaveCount(0);
  const ownerRow = page.locator(`tr[data-member-email="${ownerEmail}"]`);
  await expect(ownerRow).toContainText("The only owner");
  await expect(ownerRow.getByRole("combobox")).toHaveCount(0);
  await expect(ownerRow.getByRole("button", { name: /^Remove/ })).toHaveCount(0);
  const viewerRow = page.locator(`tr[data-member-email="${viewerEmail}"]`);
  const changed = await capture(page, async () => {
    await viewerRow.getByRole("combobox").selectOption("developer");
    await viewerRow.getByRole("button", { name: /^Save/ }).click();
  });
  await expect(viewerRow.getByRole("status")).toHaveText("Role saved.");
  expect((await userOf(viewerEmail)).role).toBe("developer");
  // the former viewer's same session, next request: may create a key now
  await createKey(v, "promoted key");
  await v.goto("/dashboard/withdrawals");
  await expect(v.getByTestId("role-notice")).toContainText("Your role (Developer)");

  // the last owner: demoting itself, sent directly, is refused and changes nothing
  const viewerId = (await userOf(viewerEmail)).id;
  const self = await replay(page, changed, (b) => b.replace(viewerId, owner.id).replace(/\r\n\r\ndeveloper\r\n/, "\r\n\r\nviewer\r\n"));
  expect(self).toContain(LAST_OWNER);
  expect((await userOf(ownerEmail)).role).toBe("owner");
  expect(await changeMemberRole({ userId: owner.id, merchantId: owner.merchantId, role: "owner" }, owner.id, "admin")).toEqual({ ok: false, error: LAST_OWNER });
  expect((await removeMember({ userId: owner.id, merchantId: owner.merchantId, role: "owner" }, owner.id)).ok).toBe(false);
  // an admin can't touch an owner, nor make one
  const devUser = await userOf(devEmail);
  expect((await changeMemberRole({ userId: devUser.id, merchantId: owner.merchantId, role: "admin" }, owner.id, "viewer")).ok).toBe(false);
  expect((await changeMemberRole({ userId: devUser.id, merchantId: owner.merchantId, role: "admin" }, devUser.id, "owner")).ok).toBe(false);
  // the developer replaying the owner's role change: refused by role
  const devTry = await replay(d, changed, (b) => b.replace(viewerId, devUser.id).replace(/\r\n\r\ndeveloper\r\n/, "\r\n\r\nowner\r\n"));
  expect(devTry).toContain("Your role (Developer) can't manage the team.");
  expect((await userOf(devEmail)).role).toBe("developer");

  // ---- removal signs the member out at once
  const devRow = page.locator(`tr[data-member-email="${devEmail}"]`);
  await devRow.getByRole("button", { name: /^Remove/ }).click();
  const confirm = page.getByRole("dialog");
  await expect(confirm).toContainText(`Remove ${devEmail}?`);
  await confirm.getByRole("button", { name: "Remove member" }).click();
  await expect(confirm).toBeHidden();
  await expect(page.locator("tr[data-member-email]")).toHaveCount(2);
  expect(await userOf(devEmail)).toBeUndefined();
  await d.goto("/dashboard/api-keys");
  await expect(d).toHaveURL(/\/sign-in$/);
  // the developer's key stays with the account
  expect((await db().select({ id: apiKeys.id }).from(apiKeys).where(and(eq(apiKeys.merchantId, owner.merchantId), eq(apiKeys.name, "developer key")))).length).toBe(1);

  await viewer.context.close();
  await dev.context.close();
});

test("a member of one merchant never sees or changes another merchant's team or data", async ({ page, browser }) => {
  const aEmail = uniqueEmail("team-a");
  await signUp(page, "Merchant Alpha", aEmail);
  await createKey(page, "alpha key");
  const memberEmail = uniqueEmail("team-a-viewer");
  const link = await invite(page, "viewer", memberEmail);
  const member = await join(browser, link, memberEmail, "viewer");

  const b = await browser.newContext();
  try {
    const pb = await b.newPage();
    const bEmail = uniqueEmail("team-b");
    await signUp(pb, "Merchant Beta", bEmail);
    const betaKey = await createKey(pb, "beta key");
    await pb.goto("/dashboard/team");
    await expect(pb.locator("tr[data-member-email]")).toHaveCount(1);
    expect(await pb.content()).not.toContain(memberEmail);
    expect(await pb.content()).not.toContain(aEmail);

    // A's viewer: A's key, not B's; A's team, not B's
    const m = member.page;
    await m.goto("/dashboard/api-keys");
    await expect(m.getByRole("row", { name: /alpha key/ })).toBeVisible();
    expect(await m.content()).not.toContain(betaKey.slice(0, 12));
    expect(await m.content()).not.toContain("beta key");
    await m.goto("/dashboard/team");
    expect(await m.content()).not.toContain(bEmail);

    // B's owner changing A's member, sent directly: not on B's team, nothing changes
    const memberId = (await userOf(memberEmail)).id;
    const bOwner = await userOf(bEmail);
    expect(await changeMemberRole({ userId: bOwner.id, merchantId: bOwner.merchantId, role: "owner" }, memberId, "admin")).toEqual({ ok: false, error: "This member isn't on your team." });
    expect(await removeMember({ userId: bOwner.id, merchantId: bOwner.merchantId, role: "owner" }, memberId)).toEqual({ ok: false, error: "This member isn't on your team." });
    expect((await userOf(memberEmail)).role).toBe("viewer");
  } finally {
    await b.close();
    await member.context.close();
  }
});

test("the team page and the invitation page pass axe and fit a phone", async ({ page, browser }) => {
  await signUp(page, "Axe Team Shop", uniqueEmail("team-axe"));
  const link = await invite(page, "viewer", uniqueEmail("team-axe-viewer"));
  await invite(page, "admin");
  await page.goto("/dashboard/team");
  const found = await axe(page, "team (owner)");
  const other = await browser.newContext();
  try {
    const p = await other.newPage();
    await p.goto(link);
    found.push(...await axe(p, "team invitation sign-up"));
    const joined = await join(browser, link, await p.getByLabel("Email").inputValue(), "viewer");
    for (const path of ["/dashboard/team", "/dashboard/api-keys", "/dashboard/withdrawals", "/dashboard/settings"]) {
      await joined.page.goto(path);
      found.push(...await axe(joined.page, `${path} (viewer)`));
    }
    await joined.context.close();
  } finally {
    await other.close();
  }
  expect(found, found.join("\n")).toEqual([]);
});
