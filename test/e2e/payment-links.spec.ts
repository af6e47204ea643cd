// Payment links (issue 20, no code): a merchant without a server makes a link in the dashboard,
// a payer opens it, chooses what to pay with and pays on the devnet; a customer-priced one-off
// link (an invoice) takes the amount the payer enters and leads back to the same payment.
import { test, expect } from "./helpers/fixtures";
import { setStandInPrices } from "../setup/rate-stand-in";
import { payments, settlementAddresses } from "@/db/schema";
import { db } from "@/lib/db/client";
import { eq } from "drizzle-orm";
import { newPayer } from "./helpers/chain";
import { PASSWORD, uniqueEmail } from "./helpers/dashboard";
import { createMerchant } from "@/lib/merchants/create-merchant";
import { checkLayout } from "./helpers/layout";

const SHOTS = process.env.PAYMENT_UI_SHOTS;
test.describe.configure({ timeout: 120_000 });

test("a payment link made in the dashboard is paid end to end; a customer-priced invoice link takes the payer's amount once", async ({ page }, testInfo) => {
  const ratesUrl = process.env.TOLLGATE_TEST_RATES_URL;
  if (!ratesUrl) throw new Error("TOLLGATE_TEST_RATES_URL is not set: run through scripts/test.ts");
  await setStandInPrices(ratesUrl, { "USDT-NOK": "10", "USDC-NOK": "10" });
  const email = uniqueEmail("fjord-coffee");
  const { merchantId: mId } = await createMerchant({ name: "Fjord Coffee", email, password: PASSWORD });
  // its settlement wallet (Settings has its own spec)
  await db().insert(settlementAddresses).values({ merchantId: mId, network: "ethereum", livemode: false, address: "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed" });
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);

  await page.goto("/dashboard/payment-links?mode=test");
  await expect(page.getByText("No payment links yet")).toBeVisible();
  const dialog = page.getByRole("dialog");
  await expect(async () => {
    await page.getByTestId("new-payment-link").click();
    await expect(dialog).toBeVisible({ timeout: 1_000 });
  }).toPass();
  // bad input: the error names the field, nothing is created
  await dialog.getByLabel("Title").fill("Beans, 1 kg");
  await dialog.getByLabel("Amount").fill("12.345");
  await dialog.getByLabel("Currency").selectOption("NOK");
  await dialog.getByRole("button", { name: "Create link" }).click();
  await expect(dialog.getByText(/at most 2 decimals/)).toBeVisible();
  await dialog.getByLabel("Amount").fill("250.00");
  await dialog.getByRole("button", { name: "Create link" }).click();
  const url = (await dialog.getByTestId("payment-link-url").innerText()).trim();
  expect(url).toMatch(/\/pay\/[0-9a-f-]{36}$/);
  await dialog.getByRole("button", { name: "Done" }).click();
  await expect(page.locator("tr[data-link-id]")).toHaveCount(1);
  await expect(page.locator("tr[data-link-id]")).toContainText("250.00 NOK");
  await checkLayout(page, SHOTS, "payment-links");

  // the payer: the link's page, then the payment's own page to choose the coin
  await page.goto(new URL(url).pathname);
  await expect(page.getByTestId("link-title")).toHaveText("Beans, 1 kg");
  await expect(page.getByTestId("link-price")).toHaveText("250.00 NOK");
  await checkLayout(page, SHOTS, "payment-link");
  await page.getByTestId("link-continue").click();
  await expect(page.getByTestId("payment-start")).toHaveAttribute("data-state", "choose");
  await expect(page.getByTestId("checkout-title")).toHaveText("Beans, 1 kg");
  await expect(page.getByTestId("fiat-amount")).toHaveText("250.00 NOK");
  await page.getByLabel("Currency").selectOption("USDT");
  await page.getByRole("button", { name: "Continue with USDT" }).click();
  await expect(page.getByTestId("amount")).toHaveText(/^25.00 USDT$/);
  const receiver = (await page.getByTestId("pay-address").innerText()).trim();
  const payer = await newPayer(testInfo.workerIndex, { ethereum: { USDT: 25_000_000n } });
  expect((await payer.transfer("ethereum", "USDT", receiver as `0x${string}`, 25_000_000n)).status).toBe("success");
  await expect(page.getByTestId("status-announcer")).toHaveText(/succeeded|paid|complete/i, { timeout: 45_000 });

  // the dashboard counts it; the payment names its link
  await page.goto("/dashboard/payment-links?mode=test");
  await expect(page.locator("tr[data-link-id]")).toContainText("1");
  const [made] = await db().select().from(payments).where(eq(payments.merchantId, mId));
  expect(made).toMatchObject({ title: "Beans, 1 kg", displayCurrency: "NOK", displayAmountCents: 25000n });
  expect(made.paymentLinkId).not.toBeNull();

  // found by the payer's receiver address, and exported as CSV with the same search
  await page.goto("/dashboard/payments?mode=test");
  await page.getByLabel("Search payments").fill(receiver.toLowerCase());
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page.locator("tr[data-payment-id]")).toHaveCount(1);
  await expect(page.locator(`tr[data-payment-id="${made.id}"]`)).toBeVisible();
  await checkLayout(page, SHOTS, "payments-search");
  const csv = await page.request.get(`/dashboard/payments/export?mode=test&q=${receiver}`);
  expect(csv.headers()["content-type"]).toContain("text/csv");
  const lines = (await csv.text()).trim().split("\r\n");
  expect(lines[0]).toMatch(/^created_at,payment_id,client_payment_id,status,/);
  expect(lines).toHaveLength(2);
  expect(lines[1]).toContain(`${made.id},link-`);
  expect(lines[1]).toContain(",DEPOSITED,250.00,NOK,USDT,ETH,25,25,");
  // sessions export the same way (this merchant has none: payments are not sessions)
  const sessionsCsv = await page.request.get("/dashboard/sessions/export?mode=test");
  expect((await sessionsCsv.text()).trim()).toBe("created_at,session_id,status,title,amount,token,network,chain_id");
  expect((await page.request.get("/dashboard/sessions/export?mode=test", { headers: { cookie: "" } })).status()).toBe(401);
  await page.goto("/dashboard/payment-links?mode=test");

  // an invoice: one payment, the customer sets the amount
  await expect(async () => {
    await page.getByTestId("new-payment-link").click();
    await expect(dialog).toBeVisible({ timeout: 1_000 });
  }).toPass();
  await dialog.getByLabel("Title").fill("Invoice 2026-114");
  await dialog.getByLabel("The customer enters it").check();
  await dialog.getByLabel("One payment (an invoice)").check();
  await dialog.getByRole("button", { name: "Create link" }).click();
  const invoice = new URL((await dialog.getByTestId("payment-link-url").innerText()).trim()).pathname;
  await dialog.getByRole("button", { name: "Done" }).click();

  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(invoice);
  await page.getByTestId("link-amount").fill("12,5x");
  await page.getByTestId("link-continue").click();
  await expect(page.getByText("Enter an amount such as 25.00")).toBeVisible();
  await page.getByTestId("link-amount").fill("80");
  await page.getByTestId("link-continue").click();
  await expect(page.getByTestId("fiat-amount")).toHaveText("80.00 USD");
  const first = page.url();
  // the same invoice again leads to the same payment
  await page.goto(invoice);
  await page.getByTestId("link-amount").fill("99");
  await page.getByTestId("link-continue").click();
  await expect(page.getByTestId("payment-start")).toBeVisible();
  expect(page.url()).toBe(first);
});
