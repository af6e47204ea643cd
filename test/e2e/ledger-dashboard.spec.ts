// The dashboard side of the ledger (issue 13): Balances shows what a merchant owns (funded the way
// a customer pays: a token transfer to its deposit address on the devnet); the withdrawal form
// refuses more than is available and an invalid or unsafe destination before the confirmation
// step, queues a valid one (available drops, reserved rises) and answers a balance that changed
// between review and confirmation; the operator invites a merchant whose link works once, and no
// other merchant can reach the invitations page. Screenshots at 1280 and 390 px go to
// /tmp/ledger-ui-shots (outside the repository) when LEDGER_UI_SHOTS is set.
import { randomBytes } from "node:crypto";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { eq } from "drizzle-orm";
import { merchants, users, withdrawals } from "@/db/schema";
import { hashPassword } from "@/lib/auth/password";
import { closeDb, db } from "@/lib/db/client";
import { mintDevnetToken } from "@/lib/devnet/deploy-tokens";
import { createMerchant } from "@/lib/merchants/create-merchant";
import { CHAINS, USDC } from "./helpers/stack";
import { createKey, PASSWORD, signUp, uniqueEmail } from "./helpers/dashboard";
import { checkLayout } from "./helpers/layout";

test.afterAll(async () => closeDb());

const PAYEE = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed";


async function available(request: APIRequestContext, key: string, code: string): Promise<bigint> {
  const res = await request.get("/v1/balances", { headers: { Authorization: `Bearer ${key}` }, maxRetries: 2 });
  expect(res.status(), await res.text()).toBe(200);
  const row = ((await res.json()).data as { code: string; available: string }[]).find((b) => b.code === code);
  return BigInt(row?.available ?? "0");
}

/** A customer pays `units` of eUSDC to a new deposit address of the merchant; waits until it is available. */
async function fund(request: APIRequestContext, key: string, units: bigint) {
  const before = await available(request, key, "eUSDC");
  const res = await request.post("/v1/address/new", { headers: { Authorization: `Bearer ${key}` }, data: { user_id: "funding", currency: "eUSDC" } });
  expect(res.status(), await res.text()).toBe(200);
  await mintDevnetToken(CHAINS.ethereum.rpcUrl(), USDC, (await res.json()).address, units);
  await expect.poll(() => available(request, key, "eUSDC"), { timeout: 45_000 }).toBe(before + units);
}

/** Signs in as the instance's operator (the first merchant of the stack's database), through a dashboard user of its own. */
async function signInAsOperator(page: Page) {
  let [op] = await db().select({ id: merchants.id }).from(merchants).where(eq(merchants.isOperator, true));
  if (!op) {
    await createMerchant({ name: "Operator", email: uniqueEmail("operator"), password: randomBytes(12).toString("base64url") });
    [op] = await db().select({ id: merchants.id }).from(merchants).where(eq(merchants.isOperator, true));
  }
  const email = uniqueEmail("operator-user");
  await db().insert(users).values({ merchantId: op.id, email, passwordHash: await hashPassword(PASSWORD) });
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
}

test("balances from the ledger; the withdrawal form bounds the amount and checks the address before confirming", async ({ page }) => {
  test.setTimeout(120_000);
  await signUp(page, "Ledger Shop");
  await page.goto("/dashboard/balances?mode=test");
  await expect(page.getByText("No balance yet")).toBeVisible();
  const key = await createKey(page, "ledger e2e");
  await fund(page.request, key, 5_000_000n);

  await page.goto("/dashboard/balances?mode=test");
  const card = page.locator('li[data-currency="eUSDC"]');
  await expect(card).toContainText("USD Coin");
  await expect(card).toContainText("Ethereum");
  await expect(card.getByTestId("available")).toHaveText("5.00");
  await expect(card.getByTestId("reserved")).toHaveText("0.00");
  await checkLayout(page, process.env.LEDGER_UI_SHOTS, "balances");

  await page.goto("/dashboard/withdrawals?mode=test");
  await page.getByLabel("Currency").selectOption("eUSDC");
  await expect(page.getByTestId("available-amount")).toHaveText("5.00 USDC");
  const review = page.getByRole("button", { name: "Review withdrawal" });
  const confirmTitle = page.getByRole("heading", { name: "Confirm the withdrawal" });

  // more than available: refused before the confirmation step
  await page.getByLabel("Amount").fill("5.000001");
  await page.getByLabel("Destination address").fill(PAYEE);
  await review.click();
  await expect(page.getByText("More than you have available: 5.00 USDC.")).toBeVisible();
  await expect(confirmTitle).toBeHidden();

  // invalid and unsafe destinations: refused before the confirmation step (the server checks them)
  await page.getByLabel("Amount").fill("2");
  for (const [address, message] of [
    ["0x1234", /Not an Ethereum address/],
    ["0x0000000000000000000000000000000000000000", /burn address/],
    [USDC, /token contract/],
  ] as const) {
    await page.getByLabel("Destination address").fill(address);
    await review.click();
    await expect(page.locator("#w-destination-error")).toHaveText(message);
    await expect(confirmTitle).toBeHidden();
  }
  await checkLayout(page, process.env.LEDGER_UI_SHOTS, "withdrawals-refused");

  // a valid one: confirmed, queued; available drops, reserved rises
  await page.getByLabel("Destination address").fill(PAYEE);
  await review.click();
  await expect(confirmTitle).toBeVisible();
  await expect(page.getByTestId("confirm-amount")).toHaveText("2.00 USDC");
  await checkLayout(page, process.env.LEDGER_UI_SHOTS, "withdrawals-confirm");
  await page.getByRole("button", { name: "Confirm and send" }).click();
  await expect(page.getByRole("status")).toContainText("queued");
  await expect(page.getByTestId("available-amount")).toHaveText("3.00 USDC");
  expect(await available(page.request, key, "eUSDC")).toBe(3_000_000n);
  const id = (await page.locator("tr[data-withdrawal-id]").first().getAttribute("data-withdrawal-id"))!;

  await page.goto("/dashboard/balances?mode=test");
  await expect(card.getByTestId("available")).toHaveText("3.00");
  const [w] = await db().select({ status: withdrawals.status }).from(withdrawals).where(eq(withdrawals.id, BigInt(id)));
  // reserved until paid (the stack's worker may already have paid it out of the hot wallet)
  if (w.status !== "processed") await expect(card.getByTestId("reserved")).toHaveText("2.00");

  // the balance changes between review and confirmation (a withdrawal through the API): 422, handled
  await page.goto("/dashboard/withdrawals?mode=test");
  await page.getByLabel("Currency").selectOption("eUSDC");
  await page.getByLabel("Amount").fill("3");
  await page.getByLabel("Destination address").fill(PAYEE);
  await review.click();
  await expect(confirmTitle).toBeVisible();
  const api = await page.request.post("/v1/withdrawal/send", {
    headers: { Authorization: `Bearer ${key}` }, data: { user_id: "race", query_id: "q1", currency: "eUSDC", amount: "2000000", destination: PAYEE },
  });
  expect(api.status(), await api.text()).toBe(200);
  await page.getByRole("button", { name: "Confirm and send" }).click();
  await expect(page.locator("#w-amount-error")).toContainText("your available balance changed. More than you have available: 1.00 USDC.");
  await expect(page.getByText("Available: 1.00 USDC", { exact: true })).toBeVisible();
  await expect(confirmTitle).toBeHidden();
  expect(await available(page.request, key, "eUSDC")).toBe(1_000_000n);
  await checkLayout(page, process.env.LEDGER_UI_SHOTS, "withdrawals");
});

test("the operator invites a merchant: the link opens one account; no other merchant reaches invitations", async ({ page, browser }) => {
  test.setTimeout(90_000);
  await signInAsOperator(page);
  const nav = page.getByRole("navigation", { name: "Dashboard" }).first();
  await nav.getByRole("link", { name: "Invitations" }).click();
  await expect(page).toHaveURL(/\/dashboard\/invitations$/);
  await expect(page.getByRole("heading", { name: "Invitations", exact: true })).toBeVisible();

  const dialog = page.getByRole("dialog");
  await expect(async () => {
    await page.getByRole("button", { name: "Invite a merchant" }).click();
    await expect(dialog).toBeVisible({ timeout: 1_000 });
  }).toPass();
  const email = uniqueEmail("invited");
  await dialog.getByLabel(/Email/).fill(email);
  await dialog.getByRole("button", { name: "Create invitation" }).click();
  const link = (await dialog.getByTestId("invitation-link").innerText()).trim();
  expect(link).toMatch(/\/sign-up\?invite=[A-Za-z0-9_-]{43}$/);
  await dialog.getByRole("button", { name: "Done" }).click();
  const row = page.locator("tr[data-invitation-id]", { hasText: email });
  await expect(row).toHaveAttribute("data-status", "pending");
  await checkLayout(page, process.env.LEDGER_UI_SHOTS, "invitations");
  const path = new URL(link).pathname + new URL(link).search;

  // a stranger with the link signs up in a browser of its own
  const invited = await browser.newContext();
  const p2 = await invited.newPage();
  await p2.goto(path);
  await expect(p2.getByText("You've been invited")).toBeVisible();
  await p2.getByLabel("Business name").fill("Invited Shop");
  await p2.getByLabel("Email").fill(email);
  await p2.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await p2.getByLabel("Confirm password").fill(PASSWORD);
  await p2.getByRole("button", { name: "Create account" }).click();
  await expect(p2).toHaveURL(/\/dashboard$/);
  // not the operator: no Invitations entry, and the page and its actions answer as if they did not exist
  await expect(p2.getByRole("navigation", { name: "Dashboard" }).first().getByRole("link", { name: "Settings" })).toBeVisible();
  await expect(p2.getByRole("link", { name: "Invitations" })).toHaveCount(0);
  const res = await p2.goto("/dashboard/invitations");
  expect(res?.status()).toBe(404);
  await invited.close();

  // the same link again: refused, no form
  const again = await browser.newContext();
  const p3 = await again.newPage();
  await p3.goto(path);
  await expect(p3.getByTestId("invitation-unusable")).toBeVisible();
  await expect(p3.getByRole("button", { name: "Create account" })).toHaveCount(0);
  await again.close();

  await page.reload();
  await expect(row).toHaveAttribute("data-status", "used");

  // a pending invitation can be revoked
  await expect(async () => {
    await page.getByRole("button", { name: "Invite a merchant" }).click();
    await expect(dialog).toBeVisible({ timeout: 1_000 });
  }).toPass();
  const other = uniqueEmail("revoked");
  await dialog.getByLabel(/Email/).fill(other);
  await dialog.getByRole("button", { name: "Create invitation" }).click();
  const revokedLink = (await dialog.getByTestId("invitation-link").innerText()).trim();
  await dialog.getByRole("button", { name: "Done" }).click();
  const pending = page.locator("tr[data-invitation-id]", { hasText: other });
  await pending.getByRole("button", { name: /Revoke/ }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Revoke invitation" }).click();
  await expect(pending).toHaveCount(0);
  const p4 = await (await browser.newContext()).newPage();
  await p4.goto(new URL(revokedLink).pathname + new URL(revokedLink).search);
  await expect(p4.getByTestId("invitation-unusable")).toBeVisible();
  await p4.context().close();

  // the operator's balances page: the instance section with the solvency line per network
  await page.goto("/dashboard/balances?mode=test");
  await expect(page.getByRole("heading", { name: /Instance/ })).toBeVisible();
  await expect(page.locator('article[data-network="ethereum"] [data-testid="solvency"]')).toBeVisible({ timeout: 30_000 });
  await checkLayout(page, process.env.LEDGER_UI_SHOTS, "balances-operator");
});

test("a forwarded session shows its network fee and the day's fees on Balances", async ({ page }) => {
  test.setTimeout(120_000);
  await signUp(page, "Fees Shop");
  const key = await createKey(page, "fees e2e");
  const auth = { Authorization: `Bearer ${key}` };
  const created = await page.request.post("/v1/sessions", {
    headers: auth, data: { destination: { type: "evm", address: PAYEE, chainId: CHAINS.ethereum.chainId, tokenAddress: USDC, amountUnits: "2" } },
  });
  expect(created.status(), await created.text()).toBe(201);
  const id: string = (await created.json()).session.sessionId;
  const chosen = await page.request.post(`/v1/sessions/${id}/paymentMethods`, {
    headers: auth, data: { paymentMethod: { type: "evm", chainId: CHAINS.ethereum.chainId, tokenAddress: USDC } },
  });
  expect(chosen.status(), await chosen.text()).toBe(200);
  const receiver: `0x${string}` = (await chosen.json()).session.paymentMethod.receiverAddress;
  await mintDevnetToken(CHAINS.ethereum.rpcUrl(), USDC, receiver, 2_000_000n);
  // the stack's worker sees it, confirms it and forwards it (a batch sweep on the devnet)
  await expect.poll(async () => (await (await page.request.get(`/v1/sessions/${id}`, { headers: auth })).json()).session.status, { timeout: 60_000 }).toBe("succeeded");

  await page.goto(`/dashboard/sessions/${id}`);
  const fees = page.getByRole("region", { name: "Network fees" });
  await expect(fees).toBeVisible();
  await expect(fees.getByTestId("fee")).toHaveCount(1);
  await expect(fees.getByTestId("fee")).toContainText("Forward");
  await expect(fees.getByTestId("fees-total")).toContainText("ETH");
  const [fee] = await fees.getByTestId("fee").locator("[data-value]").evaluateAll((els) => els.map((e) => e.getAttribute("data-value")));
  expect(BigInt(fee!)).toBeGreaterThan(0n);
  await checkLayout(page, process.env.LEDGER_UI_SHOTS, "session-fees");

  await page.goto("/dashboard/balances?mode=test");
  const day = page.getByTestId("fees-day");
  await expect(day).toHaveCount(1);
  await expect(day).toContainText("Ethereum");
  await expect(day.locator("[data-value]")).toHaveAttribute("data-value", fee!);
});
