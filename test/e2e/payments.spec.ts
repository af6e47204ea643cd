// Payments in the browser (issue 7): the hosted checkout page of a payment shows the fiat price
// next to the crypto amount and follows a real devnet deposit to the end; the dashboard lists the
// payment and shows its quote and deposit, and blocks another one.
import { randomBytes } from "node:crypto";
import { test, expect } from "./helpers/fixtures";
import { setStandInPrices } from "../setup/rate-stand-in";
import { settlementAddresses } from "@/db/schema";
import { createApiKey } from "@/lib/api-keys/keys";
import { db } from "@/lib/db/client";
import { createMerchant } from "@/lib/merchants/create-merchant";
import { newPayer } from "./helpers/chain";
import { PASSWORD } from "./helpers/dashboard";
import { checkLayout } from "./helpers/layout";

// screenshots of the payer's page at 1280 and 390 px go to /tmp (outside the repository) when PAYMENT_UI_SHOTS is set
const SHOTS = process.env.PAYMENT_UI_SHOTS;

test.describe.configure({ timeout: 120_000 });

test("a payment's checkout page shows fiat and crypto; the dashboard lists, details and blocks payments", async ({ page, request }, testInfo) => {
  const ratesUrl = process.env.TOLLGATE_TEST_RATES_URL;
  if (!ratesUrl) throw new Error("TOLLGATE_TEST_RATES_URL is not set: run through scripts/test.ts");
  await setStandInPrices(ratesUrl, { "USDT-GBP": "0.8" });

  const email = `payments-${randomBytes(6).toString("hex")}@test.local`;
  const { merchantId } = await createMerchant({ name: "Fog Lane Books", email, password: PASSWORD });
  const { key } = await createApiKey(merchantId, false, "payments e2e");
  const settlement = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed";
  await db().insert(settlementAddresses).values({ merchantId, network: "ethereum", livemode: false, address: settlement });
  const headers = { Authorization: `Bearer ${key}` };

  const created = await request.post("/v1/payments", { headers, data: { clientPaymentId: "invoice-77", displayCurrency: "GBP", displayAmount: "20.00" } });
  expect(created.status(), await created.text()).toBe(201);
  const { paymentId } = (await created.json()).paymentInfo;
  const submitted = await request.patch(`/v1/payments/${paymentId}`, { headers, data: { depositCurrency: "USDT", network: "ETH" } });
  expect(submitted.status(), await submitted.text()).toBe(200);
  const info = (await submitted.json()).paymentInfo;
  expect(info.expectedDepositAmount).toBe("25");

  // the hosted page: 25 USDT, priced 20.00 GBP, with the payment's own deposit address
  await page.goto(info.url);
  await expect(page.getByTestId("amount")).toContainText("25");
  await expect(page.getByTestId("amount")).toContainText("USDT");
  await expect(page.getByTestId("fiat-amount")).toHaveText("Price: 20.00 GBP");
  await expect(page.getByText(info.walletAddress).first()).toBeAttached();

  const payer = await newPayer(testInfo.workerIndex, { ethereum: { USDT: 25_000_000n } });
  const receipt = await payer.transfer("ethereum", "USDT", info.walletAddress, 25_000_000n);
  expect(receipt.status).toBe("success");
  await expect(page.getByTestId("status-announcer")).toHaveText(/succeeded|paid|complete/i, { timeout: 45_000 });

  // a second payment to block from the dashboard
  const other = await request.post("/v1/payments", { headers, data: { clientPaymentId: "invoice-78", displayCurrency: "GBP", displayAmount: "5" } });
  const otherInfo = (await other.json()).paymentInfo;
  const otherId = otherInfo.paymentId;
  // its page before a deposit currency is chosen: the price, and the payer's choice of what to pay with
  await page.goto(otherInfo.url);
  await expect(page.getByTestId("payment-start")).toHaveAttribute("data-state", "choose");
  await expect(page.getByTestId("fiat-amount")).toHaveText("5.00 GBP");

  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);

  await page.goto("/dashboard/payments?mode=test");
  const row = page.locator(`tr[data-payment-id="${paymentId}"]`);
  await expect(row).toContainText("20.00 GBP");
  await expect(row).toContainText("25.00 USDT on ETH");
  await expect(row.locator("[data-status]")).toHaveAttribute("data-status", "DEPOSITED");
  await expect(page.locator(`tr[data-payment-id="${otherId}"] [data-status]`)).toHaveAttribute("data-status", "NEW");

  // the status filter, in the URL, honoured by the CSV export; an empty result offers "Clear filters"
  const filters = page.getByTestId("list-filters");
  await filters.getByLabel("Status").selectOption("NEW");
  await filters.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/status=NEW/);
  await expect(page.locator("tr[data-payment-id]")).toHaveCount(1);
  await expect(page.locator(`tr[data-payment-id="${otherId}"]`)).toBeVisible();
  await checkLayout(page, process.env.UX_SHOTS, "payments-filtered");
  const csv = await (await page.request.get((await page.getByRole("link", { name: "Export CSV" }).getAttribute("href"))!)).text();
  expect(csv).toContain(otherId);
  expect(csv).not.toContain(paymentId);
  await page.goto("/dashboard/payments?mode=test&status=DEPOSITED&to=2020-01-01");
  await expect(page.getByRole("heading", { name: "No matching payments" })).toBeVisible();
  await page.getByRole("link", { name: "Clear filters" }).first().click();
  await expect(page).toHaveURL(/\/dashboard\/payments\?mode=test$/);
  await expect(row).toBeVisible();

  await row.getByRole("link").click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("20.00 GBP");
  await expect(page.getByTestId("quotes")).toContainText("1 USDT = 0.8 GBP");
  await expect(page.getByTestId("quotes")).toContainText("coingecko");
  await expect(page.getByTestId("deposits")).toContainText("25.00 USDT");
  await expect(page.getByTestId("deposits")).toContainText("20.00 GBP");
  await expect(page.getByRole("button", { name: "Block payment" })).toHaveCount(0);

  await page.goto(`/dashboard/payments/${otherId}`);
  await page.getByRole("button", { name: "Block payment" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Block payment" }).click();
  await expect(page.locator("[data-status]").first()).toHaveAttribute("data-status", "BLOCKED");
  const after = await request.get(`/v1/payments/${otherId}`, { headers });
  expect((await after.json()).paymentInfo.status).toBe("BLOCKED");
});

test("the payer completes a payment the merchant priced without a currency; an unpriced one waits and moves on when the merchant submits", async ({ page, request, merchant }) => {
  const ratesUrl = process.env.TOLLGATE_TEST_RATES_URL;
  if (!ratesUrl) throw new Error("TOLLGATE_TEST_RATES_URL is not set: run through scripts/test.ts");
  await setStandInPrices(ratesUrl, { "USDT-GBP": "0.8", "USDC-GBP": "0.8" });
  const settlement = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed";
  for (const network of ["ethereum", "polygon"]) {
    await db().insert(settlementAddresses).values({ merchantId: merchant.merchantId, network, livemode: false, address: settlement });
  }
  const headers = { Authorization: `Bearer ${merchant.key}` };
  const create = async (data: Record<string, unknown>) => {
    const r = await request.post("/v1/payments", { headers, data: { clientPaymentId: `order-${randomBytes(4).toString("hex")}`, ...data } });
    expect(r.status(), await r.text()).toBe(201);
    return (await r.json()).paymentInfo;
  };
  const get = async (id: string) => (await (await request.get(`/v1/payments/${id}`, { headers })).json()).paymentInfo;

  // a phone: the payer opens the payment's url, picks USDT on Ethereum and sees what it costs
  await page.setViewportSize({ width: 390, height: 844 });
  const p = await create({ displayCurrency: "GBP", displayAmount: "20.00" });
  await page.goto(p.url);
  await expect(page.getByTestId("payment-start")).toHaveAttribute("data-state", "choose");
  await expect(page.getByTestId("fiat-amount")).toHaveText("20.00 GBP");
  await expect(page.locator('meta[http-equiv="refresh"]')).toHaveCount(0);
  const network = page.getByLabel("Network");
  await expect(network).toBeEnabled();
  await expect(network.locator("option")).toHaveText(["Ethereum", "Polygon"]);
  await network.selectOption({ label: "Polygon" });
  await network.selectOption({ label: "Ethereum" });
  await page.getByLabel("Currency").selectOption("USDT");
  await expect(page.getByTestId("quote-amount")).toHaveText("25.00 USDT");
  await checkLayout(page, SHOTS, "payment-choose");
  await page.setViewportSize({ width: 390, height: 844 });

  // confirmed: the same page is now the payment's checkout, with its deposit address and QR
  await page.getByRole("button", { name: "Continue with USDT" }).click();
  await expect(page.getByTestId("amount")).toHaveText(/^25.00 USDT$/);
  await expect(page.getByTestId("fiat-amount")).toHaveText("Price: 20.00 GBP");
  const info = await get(p.paymentId);
  expect(info).toMatchObject({ status: "PENDING", depositCurrency: "USDT", expectedNetwork: "ETH", expectedDepositAmount: "25" });
  expect(info.walletAddress).toMatch(/^0x[0-9a-fA-F]{40}$/);
  await expect(page.getByTestId("pay-address")).toHaveText(info.walletAddress);
  await expect(page.getByTestId("payment-qr")).toBeVisible();
  await checkLayout(page, SHOTS, "payment-chosen");
  // a reload (or another tab) shows that checkout, never a second one
  await page.reload();
  await expect(page.getByTestId("pay-address")).toHaveText(info.walletAddress);

  // no price yet: the page waits (polling, no meta refresh) and becomes the checkout once the merchant submits
  const unpriced = await create({});
  await page.goto(unpriced.url);
  await expect(page.getByTestId("payment-start")).toHaveAttribute("data-state", "wait");
  await expect(page.locator('meta[http-equiv="refresh"]')).toHaveCount(0);
  await checkLayout(page, SHOTS, "payment-wait");
  const patched = await request.patch(`/v1/payments/${unpriced.paymentId}`, { headers, data: { displayCurrency: "GBP", displayAmount: "8", depositCurrency: "USDC", network: "ETH" } });
  expect(patched.status(), await patched.text()).toBe(200);
  await expect(page.getByTestId("amount")).toHaveText(/^10.00 USDC$/, { timeout: 15_000 });
  await expect(page.getByTestId("pay-address")).toHaveText((await patched.json()).paymentInfo.walletAddress);
});
