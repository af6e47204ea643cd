// Dashboard wallet pages: a customer's deposit address (seed 000) with its QR image, a real deposit
// to it in the deposits list, the volume chart and the CSV export, a withdrawal created through
// the confirmation step (the merchant's own money, too large for the hot wallet: it waits with a reason) reserved in balances,
// then cancelled; request signing switched on and off in Settings.
import { expect, test } from "@playwright/test";
import { mintDevnetToken } from "@/lib/devnet/deploy-tokens";
import { CHAINS, USDC } from "./helpers/stack";
import { createKey, signUp } from "./helpers/dashboard";

test("deposit addresses, deposits with chart and CSV, withdrawals with confirmation, balances", async ({ page }) => {
  await signUp(page, "Wallet Shop");
  const key = await createKey(page, "wallets e2e");
  const res = await page.request.post("/wallet/address", { headers: { "x-api-key": key }, data: { customerId: "alice", currency: "eUSDC" } });
  expect(res.status(), await res.text()).toBe(200);
  const { address } = ((await res.json()) as { data: { address: `0x${string}` } }).data;
  const tx = await mintDevnetToken(CHAINS.ethereum.rpcUrl(), USDC, address, 2_500_000n);

  await page.goto("/dashboard/deposit-addresses?mode=test&q=alice");
  const row = page.locator(`tr[data-address="${address}"]`);
  await expect(row).toContainText("alice");
  const qr = row.getByRole("img", { name: `QR code of ${address}` });
  await expect(qr).toBeVisible();
  expect(await qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);

  // the stack's watcher credits it within a few blocks
  await expect(async () => {
    await page.goto("/dashboard/deposits?mode=test");
    await expect(page.locator(`tr[data-tx="${tx}"]`)).toContainText("confirmed", { timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  await expect(page.locator(`tr[data-tx="${tx}"]`)).toContainText("2.50 USDC");
  await expect(page.getByTestId("volume-chart").locator('rect[data-amount="2.5"]')).toHaveCount(1);
  await page.getByLabel("Status").selectOption("reverted");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page.getByText("No deposits")).toBeVisible();
  const csv = await page.request.get("/dashboard/deposits/export?mode=test&currency=eUSDC");
  expect(csv.headers()["content-type"]).toContain("text/csv");
  const text = await csv.text();
  expect(text.split("\r\n")[0]).toContain("tx_hash");
  expect(text).toContain(`${tx}`);
  expect(text).toContain(",2.5,2500000,confirmed,");

  // the merchant owns what its customers paid: a further 10^12 USDC to the address, far more than the hot wallet
  // holds, so the withdrawal below is the merchant's to make and waits with the hot wallet's reason
  await mintDevnetToken(CHAINS.ethereum.rpcUrl(), USDC, address, 10n ** 18n);
  await expect(async () => {
    const b = await page.request.get("/v1/balances", { headers: { Authorization: `Bearer ${key}` } });
    const usdc = ((await b.json()) as { data: { code: string; available: string }[] }).data.find((x) => x.code === "eUSDC");
    expect(usdc?.available).toBe("1000000000002500000");
  }).toPass({ timeout: 30_000 });

  await page.goto("/dashboard/withdrawals?mode=test");
  await page.getByLabel("Currency").selectOption("eUSDC");
  await page.getByLabel("Amount").fill("1000000000000");
  await page.getByLabel("Destination address").fill("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed");
  await page.getByRole("button", { name: "Review withdrawal" }).click();
  await expect(page.getByTestId("confirm-amount")).toHaveText("1,000,000,000,000.00 USDC");
  await page.getByRole("button", { name: "Confirm and send" }).click();
  await expect(page.getByRole("status")).toContainText("queued");
  const wrow = page.locator("tr[data-withdrawal-id]").first();
  await expect(wrow).toContainText("pending");
  await expect(async () => {
    await page.reload();
    await expect(page.locator("tr[data-withdrawal-id]").first()).toContainText(/insufficient hot wallet balance|not synced/, { timeout: 1_000 });
  }).toPass({ timeout: 20_000 });

  await page.goto("/dashboard/balances?mode=test");
  await expect(page.locator('[data-currency="eUSDC"] [data-testid="reserved"]')).toHaveAttribute("data-value", "1000000000000");

  await page.goto("/dashboard/withdrawals?mode=test");
  await page.locator("tr[data-withdrawal-id]").first().getByRole("button", { name: "Cancel" }).click();
  await expect(page.locator("tr[data-withdrawal-id]").first()).toContainText("cancelled by the merchant");

  // settings: turning on seed 002 request signing makes unsigned /v2 requests fail
  await page.goto("/dashboard/settings");
  await page.getByRole("button", { name: "Turn on request signing" }).click();
  const secret = (await page.getByTestId("signing-secret").innerText()).trim();
  expect(secret).toMatch(/^[0-9a-f]{64}$/);
  const unsigned = await page.request.post("/v2/deposit_address/create", { headers: { "Api-key": key }, data: { currency: "usdc", network: "erc20" } });
  expect(unsigned.status()).toBe(401);
  await page.getByRole("button", { name: "Turn off request signing" }).click();
  await expect(page.getByText("Request signing (seed 002): off.")).toBeVisible();

  // settings: seed 002's max_amount for addresses whose request names none
  await page.getByLabel("Maximum deposit amount").fill("-5");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByText(/Maximum deposit amount: a number above 0/)).toBeVisible();
  await page.getByLabel("Maximum deposit amount").fill("2500");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByText("Saved.")).toBeVisible();
  const capped = await page.request.post("/v2/deposit_address/create", { headers: { "Api-key": key }, data: { currency: "usdc", network: "erc20" } });
  expect(capped.status()).toBe(200);
  expect((await capped.json()).data.max_amount).toBe("2500");
});
