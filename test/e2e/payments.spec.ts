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
  // its page before a deposit currency is chosen: the price and what is going on
  await page.goto(otherInfo.url);
  await expect(page.getByTestId("payment-not-ready")).toHaveAttribute("data-status", "NEW");
  await expect(page.getByTestId("fiat-amount")).toHaveText("5.00 GBP");

  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);

  await page.goto("/dashboard/payments?mode=test");
  const row = page.locator(`tr[data-payment-id="${paymentId}"]`);
  await expect(row).toContainText("20.00 GBP");
  await expect(row).toContainText("25 USDT on ETH");
  await expect(row.locator("[data-status]")).toHaveAttribute("data-status", "DEPOSITED");
  await expect(page.locator(`tr[data-payment-id="${otherId}"] [data-status]`)).toHaveAttribute("data-status", "NEW");

  await row.getByRole("link").click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("20.00 GBP");
  await expect(page.getByTestId("quotes")).toContainText("1 USDT = 0.8 GBP");
  await expect(page.getByTestId("quotes")).toContainText("coingecko");
  await expect(page.getByTestId("deposits")).toContainText("25 USDT");
  await expect(page.getByTestId("deposits")).toContainText("20.00 GBP");
  await expect(page.getByRole("button", { name: "Block payment" })).toHaveCount(0);

  await page.goto(`/dashboard/payments/${otherId}`);
  await page.getByRole("button", { name: "Block payment" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Block payment" }).click();
  await expect(page.locator("[data-status]").first()).toHaveAttribute("data-status", "BLOCKED");
  const after = await request.get(`/v1/payments/${otherId}`, { headers });
  expect((await after.json()).paymentInfo.status).toBe("BLOCKED");
});
