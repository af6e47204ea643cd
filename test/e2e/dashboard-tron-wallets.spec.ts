// Dashboard wallet pages with Tron rows: a customer's Tron deposit address (base58 T…), a TRC-20
// deposit to it on the Tron devnet in the deposits list (test mode: the hash without an explorer
// link), a Tron withdrawal created through the confirmation step and paid by the stack's worker,
// and the balances page's Tron rows with the Tron hot wallet.
import { expect, test } from "@playwright/test";
import { hexToTron, isTronAddress, tronToHex } from "@/lib/addresses";
import { mintDevnetToken } from "@/lib/devnet/deploy-tokens";
import { USDT } from "./helpers/stack";
import { createKey, signUp } from "./helpers/dashboard";

function tronRpc(): string {
  const rpc = process.env.TOLLGATE_TEST_RPC_TRON;
  if (!rpc) throw new Error("TOLLGATE_TEST_RPC_TRON is not set: run through the harness");
  return rpc;
}

test("Tron deposit addresses, deposits, withdrawals and balances in the dashboard", async ({ page, context, baseURL }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseURL });
  await signUp(page, "Tron Wallet Shop");
  const key = await createKey(page, "tron wallets e2e");
  const res = await page.request.post("/wallet/address", { headers: { "x-api-key": key }, data: { customerId: "tara", currency: "tUSDT" } });
  expect(res.status(), await res.text()).toBe(200);
  const { address } = ((await res.json()) as { data: { address: string } }).data;
  expect(isTronAddress(address)).toBe(true);
  const tx = await mintDevnetToken(tronRpc(), USDT, tronToHex(address), 3_000_000n);

  await page.goto("/dashboard/deposit-addresses?mode=test&q=tara");
  const row = page.locator(`tr[data-address="${address}"]`);
  await expect(row).toContainText("tara");
  await expect(row).toContainText("USDT · Tron (test)");
  await expect(row.getByRole("img", { name: `QR code of ${address}` })).toBeVisible();

  await expect(async () => {
    await page.goto("/dashboard/deposits?mode=test");
    await expect(page.locator(`tr[data-tx="${tx}"]`)).toContainText("confirmed", { timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  const dep = page.locator(`tr[data-tx="${tx}"]`);
  await expect(dep).toContainText("3.00 USDT");
  await expect(dep).toContainText("Tron (test)");
  // test networks have no public explorer: no link, the hash to copy
  await expect(dep.getByRole("link")).toHaveCount(0);
  // (clicked again until the page has hydrated; the button names the result, then resets after 2 s)
  await expect(async () => {
    await dep.getByRole("button", { name: "Copy transaction hash" }).click();
    await expect(dep.getByRole("button", { name: "Copied" })).toHaveAttribute("title", "Copied", { timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(tx);

  const destination = hexToTron(`0x${"7".repeat(40)}`);
  await page.goto("/dashboard/withdrawals?mode=test");
  await page.getByLabel("Currency").selectOption("tUSDT");
  await expect(page.getByLabel("Destination address")).toHaveAttribute("placeholder", "T…");
  await page.getByLabel("Amount").fill("1.25");
  await page.getByLabel("Destination address").fill(destination);
  await page.getByRole("button", { name: "Review withdrawal" }).click();
  await expect(page.getByTestId("confirm-amount")).toHaveText("1.25 USDT");
  await page.getByRole("button", { name: "Confirm and send" }).click();
  await expect(page.getByRole("status")).toContainText("queued");
  const wrow = page.locator("tr[data-withdrawal-id]").first();
  await expect(wrow).toContainText("Tron (test)");
  await expect(wrow).toContainText(destination.slice(0, 8));
  await expect(async () => {
    await page.reload();
    await expect(page.locator("tr[data-withdrawal-id]").first()).toContainText("processed", { timeout: 1_000 });
  }).toPass({ timeout: 30_000 });

  await page.goto("/dashboard/balances?mode=test");
  // the merchant's own ledger: 3 USDT received, 1.25 paid out; the payout's network fee charged to it in TRX
  const usdt = page.locator('[data-currency="tUSDT"]');
  await expect(usdt).toContainText("Tron");
  await expect(usdt.getByTestId("available")).toHaveAttribute("data-value", "1.75");
  await expect(usdt.getByTestId("reserved")).toHaveAttribute("data-value", "0");
  await expect(page.locator('[data-currency="TRX"]')).toBeVisible();
});
