// Accessibility (issue 20): axe (WCAG 2 A and AA rules) at 1280 and 390 px on every dashboard page,
// the sign-in and sign-up pages, the API docs and the hosted checkout in the states reachable
// without paying (a payment's choice page, waiting for payment with the QR, expired). Any
// `serious` or `critical` violation fails, with its rule, impact and the first offending nodes.
import { randomBytes } from "node:crypto";
import AxeBuilder from "@axe-core/playwright";
import { eq } from "drizzle-orm";
import type { APIRequestContext, Page } from "@playwright/test";
import { merchants, settlementAddresses, users } from "@/db/schema";
import { createApiKey } from "@/lib/api-keys/keys";
import { hashPassword } from "@/lib/auth/password";
import { db } from "@/lib/db/client";
import { createMerchant } from "@/lib/merchants/create-merchant";
import { setStandInPrices } from "../setup/rate-stand-in";
import { PASSWORD } from "./helpers/dashboard";
import { expect, test } from "./helpers/fixtures";
import { checkLayout } from "./helpers/layout";
import { CHAINS, USDC } from "./helpers/stack";

test.describe.configure({ timeout: 240_000 });

const DESTINATION = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed";

/** axe at both widths (and no sideways overflow); returns the serious/critical findings, one line each. */
async function scan(page: Page, name: string, include: string[] = [], widths: readonly number[] = [1280, 390]): Promise<string[]> {
  await checkLayout(page, undefined, name);
  const found: string[] = [];
  for (const width of widths) {
    await page.setViewportSize({ width, height: 900 });
    let axe = new AxeBuilder({ page });
    for (const sel of include) axe = axe.include(sel);
    const { violations } = await axe.withTags(["wcag2a", "wcag2aa"]).options({ resultTypes: ["violations"] }).analyze();
    for (const v of violations) {
      if (v.impact !== "serious" && v.impact !== "critical") continue;
      found.push(`${name} @${width}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes.slice(0, 3).map((n) => `${n.target.join(" ")}: ${n.failureSummary?.split("\n").slice(1).join(" ").trim()}`).join(" | ")}`);
    }
  }
  await page.setViewportSize({ width: 1280, height: 900 });
  if (found.length) console.log(found.join("\n"));
  return found;
}

async function signIn(page: Page, email: string): Promise<void> {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
}

test("axe finds no serious or critical violation on the sign-in and sign-up pages", async ({ page }) => {
  const found: string[] = [];
  for (const [path, name] of [["/sign-in", "sign-in"], ["/sign-up", "sign-up"]] as const) {
    await page.goto(path);
    found.push(...await scan(page, name));
  }
  expect(found, found.join("\n")).toEqual([]);
});

test("axe finds no serious or critical violation on the API docs page", async ({ page }) => {
  await page.goto("/docs/api");
  // the reference renders every operation with the same few components, and axe over all of them
  // takes minutes: it checks the sidebar, the introduction and the first group of operations
  // (hidden by a style sheet, which outlives React re-rendering the page; axe skips hidden content)
  await page.addStyleTag({ content: "main > div > section.border-t-2 ~ section.border-t-2 { display: none }" });
  await expect(page.locator("main > div > section.border-t-2:visible")).toHaveCount(1);
  const first = await page.locator("main > div > section.border-t-2").first().getAttribute("id");
  // axe at phone width only here (a minute per width on the reference's size; contrast and names do not depend on
  // it, and checkLayout still covers both widths)
  const found = await scan(page, "api-docs", ["nav[aria-label='API reference']", "main > div > section:not(.border-t-2)", `#${first}`], [390]);
  expect(found, found.join("\n")).toEqual([]);
});

/** A merchant with a session and a payment, signed in on `page`; the paths of its dashboard pages. */
async function dashboardMerchant(page: Page, request: APIRequestContext): Promise<[string, string][]> {
  const email = `a11y-${randomBytes(6).toString("hex")}@test.local`;
  const { merchantId } = await createMerchant({ name: "Lamplight Studio", email, password: PASSWORD });
  const { key } = await createApiKey(merchantId, false, "a11y e2e");
  await db().insert(settlementAddresses).values({ merchantId, network: "ethereum", livemode: false, address: DESTINATION });
  const headers = { Authorization: `Bearer ${key}` };
  const session = await request.post("/v1/sessions", { headers, data: {
    destination: { type: "evm", address: DESTINATION, chainId: CHAINS.ethereum.chainId, tokenAddress: USDC, amountUnits: "12.5" }, display: { title: "Order #7", verb: "Pay" },
  } });
  expect(session.status(), await session.text()).toBe(201);
  const { sessionId } = (await session.json()).session;
  const payment = await request.post("/v1/payments", { headers, data: { clientPaymentId: "a11y-1", displayCurrency: "USD", displayAmount: "10.00" } });
  expect(payment.status(), await payment.text()).toBe(201);
  const { paymentId } = (await payment.json()).paymentInfo;
  await signIn(page, email);
  return [
    ["/dashboard", "overview"], ["/dashboard/sessions", "sessions"], [`/dashboard/sessions/${sessionId}`, "session-detail"],
    ["/dashboard/payments", "payments"], [`/dashboard/payments/${paymentId}`, "payment-detail"], ["/dashboard/payment-links", "payment-links"],
    ["/dashboard/deposit-addresses", "deposit-addresses"], ["/dashboard/deposits", "deposits"], ["/dashboard/balances", "balances"],
    ["/dashboard/withdrawals", "withdrawals"], ["/dashboard/webhooks", "webhooks"], ["/dashboard/api-keys", "api-keys"], ["/dashboard/settings", "settings"],
  ];
}

async function scanAll(page: Page, pages: [string, string][]): Promise<string[]> {
  const found: string[] = [];
  for (const [path, name] of pages) {
    expect((await page.goto(path))?.status(), path).toBe(200);
    found.push(...await scan(page, name));
  }
  return found;
}

// two halves, so the two workers share the dashboard's pages
test("axe finds no serious or critical violation on the dashboard (overview to deposit addresses)", async ({ page, request }) => {
  const found = await scanAll(page, (await dashboardMerchant(page, request)).slice(0, 7));
  expect(found, found.join("\n")).toEqual([]);
});

test("axe finds no serious or critical violation on the dashboard (deposits to settings, invitations)", async ({ page, request, browser }) => {
  const found = await scanAll(page, (await dashboardMerchant(page, request)).slice(7));
  // Invitations: only the operator (the instance's first account) has it; sign in as one of its users
  const [op] = await db().select({ id: merchants.id }).from(merchants).where(eq(merchants.isOperator, true));
  const opEmail = `a11y-op-${randomBytes(6).toString("hex")}@test.local`;
  await db().insert(users).values({ merchantId: op.id, email: opEmail, passwordHash: await hashPassword(PASSWORD) });
  const opContext = await browser.newContext();
  try {
    const opPage = await opContext.newPage();
    await signIn(opPage, opEmail);
    found.push(...await scanAll(opPage, [["/dashboard/invitations", "invitations"]]));
  } finally {
    await opContext.close();
  }
  expect(found, found.join("\n")).toEqual([]);
});

test("axe finds no serious or critical violation on the hosted checkout's states", async ({ page, request, sessions, merchant }) => {
  const ratesUrl = process.env.TOLLGATE_TEST_RATES_URL;
  if (!ratesUrl) throw new Error("TOLLGATE_TEST_RATES_URL is not set: run through scripts/test.ts");
  await setStandInPrices(ratesUrl, { "USDT-USD": "1", "USDC-USD": "1" });
  await db().insert(settlementAddresses).values({ merchantId: merchant.merchantId, network: "ethereum", livemode: false, address: DESTINATION });
  const found: string[] = [];

  // a seed-004 payment before the payer chose: currency and network to pick
  const created = await request.post("/v1/payments", { headers: { Authorization: `Bearer ${merchant.key}` }, data: { clientPaymentId: "a11y-2", displayCurrency: "USD", displayAmount: "10.00" } });
  expect(created.status(), await created.text()).toBe(201);
  await page.goto((await created.json()).paymentInfo.url);
  await expect(page.getByTestId("payment-start")).toHaveAttribute("data-state", "choose");
  found.push(...await scan(page, "payment-choose"));

  // a session: network and currency, then waiting for the payment with the QR
  const s = await sessions.create({ amountUnits: "25.5", destination: DESTINATION });
  await page.goto(s.url);
  await expect(page.getByLabel("Network")).toBeVisible();
  await expect(page.getByTestId("payment-qr")).toBeVisible();
  found.push(...await scan(page, "checkout-waiting"));

  // cancelled by the merchant: the expired state
  await sessions.cancel(s.sessionId);
  await page.reload();
  await expect(page.getByTestId("status-expired")).toBeVisible();
  found.push(...await scan(page, "checkout-expired"));

  expect(found, found.join("\n")).toEqual([]);
});
