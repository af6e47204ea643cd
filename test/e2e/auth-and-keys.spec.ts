// Dashboard sign-up / sign-in, API keys (shown once, usable, revocable), merchant isolation and
// settings. Every test signs up its own merchant, so tests never share state.
import { createHmac } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { createKey, openCreateKeyDialog, PASSWORD, signUp as signUpMerchant, uniqueEmail } from "./helpers/dashboard";
import { checkLayout } from "./helpers/layout";

async function signUp(page: Page, name: string, email: string): Promise<void> {
  await signUpMerchant(page, name, email);
  await expect(page.getByRole("heading", { name: `Welcome, ${name}` })).toBeVisible();
}

async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

test("sign up, sign out, sign in, create a test key that works once shown and fails once revoked", async ({ page, request }) => {
  const name = "Acme Coffee";
  const email = uniqueEmail("acme");
  await signUp(page, name, email);

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/sign-in$/);

  // unknown email and wrong password get the same message
  await signIn(page, email, "not the password");
  await expect(page.getByRole("alert").filter({ hasText: /\S/ })).toHaveText("Incorrect email or password.");
  await signIn(page, `nobody-${email}`, PASSWORD);
  await expect(page.getByRole("alert").filter({ hasText: /\S/ })).toHaveText("Incorrect email or password.");
  await signIn(page, email, PASSWORD);
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByText("Acme Coffee").first()).toBeVisible();

  await page.goto("/dashboard/api-keys");
  await expect(page.getByText("No API keys yet")).toBeVisible();
  const key = await createKey(page, "CI server");
  const prefix = key.slice(0, 12);

  // the full key is gone for good: not after closing the dialog, not after a reload
  expect(await page.content()).not.toContain(key);
  await page.reload();
  const row = page.getByRole("row", { name: /CI server/ });
  await expect(row).toContainText(`${prefix}…`);
  await expect(row).toContainText("Test");
  await expect(row).toContainText("never");
  await expect(row).toContainText("Active");
  expect(await page.content()).not.toContain(key);

  const ok = await request.get("/v1/currencies", { headers: { Authorization: `Bearer ${key}` } });
  expect(ok.status()).toBe(200);

  await row.getByRole("button", { name: /Revoke/ }).click();
  const confirm = page.getByRole("dialog");
  await expect(confirm).toContainText("Revoke “CI server”?");
  await confirm.getByRole("button", { name: "Revoke key" }).click();
  await expect(confirm).toBeHidden();
  await expect(row).toContainText("Revoked");
  await expect(row.getByRole("button", { name: /Revoke/ })).toHaveCount(0);

  const denied = await request.get("/v1/currencies", { headers: { Authorization: `Bearer ${key}` } });
  expect(denied.status()).toBe(401);
  const body = await denied.json() as { error: { type: string } };
  expect(body.error.type).toBe("authentication_error");
});

test("a second merchant does not see the first merchant's keys", async ({ page, browser }) => {
  await signUp(page, "First Merchant", uniqueEmail("first"));
  const key = await createKey(page, "first merchant key");
  const prefix = key.slice(0, 12);
  await page.reload();
  await expect(page.getByText(`${prefix}…`)).toBeVisible();

  const other = await browser.newContext();
  try {
    const page2 = await other.newPage();
    await signUp(page2, "Second Merchant", uniqueEmail("second"));
    await expect(page2.getByTestId("active-key-count")).toHaveText("0");
    await page2.goto("/dashboard/api-keys");
    await expect(page2.getByText("No API keys yet")).toBeVisible();
    expect(await page2.content()).not.toContain(prefix);
    expect(await page2.content()).not.toContain("first merchant key");
  } finally {
    await other.close();
  }
});

test("settings are saved, normalized and shown again after a reload", async ({ page }) => {
  await signUp(page, "Settings Shop", uniqueEmail("settings"));
  await page.goto("/dashboard/settings");
  await page.getByLabel("Business name").fill("Settings Shop GmbH");
  await page.getByLabel("Logo URL").fill("https://example.com/logo.png");
  await page.getByLabel("Accent color", { exact: true }).fill("#0EA5E9");
  await page.getByLabel("Default session expiry").fill("90");
  await page.getByLabel("Payment tolerance").fill("1.25");
  await page.locator('input[name="settlement.ethereum.test"]').fill("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed");
  await expect(page.locator('input[name="settlement.tron.test"]')).toHaveAttribute("placeholder", "T…");
  await page.locator('input[name="settlement.tron.test"]').fill(" TJEh7TX8sNj5uq4hXKyYdTrnGmeeG48top ");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Settings saved" })).toBeVisible();

  await page.reload();
  await expect(page.getByLabel("Business name")).toHaveValue("Settings Shop GmbH");
  await expect(page.getByLabel("Logo URL")).toHaveValue("https://example.com/logo.png");
  await expect(page.getByLabel("Accent color", { exact: true })).toHaveValue("#0ea5e9");
  await expect(page.getByLabel("Default session expiry")).toHaveValue("90");
  await expect(page.getByLabel("Payment tolerance")).toHaveValue("1.25");
  // stored checksummed (EIP-55)
  await expect(page.locator('input[name="settlement.ethereum.test"]')).toHaveValue("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed");
  await expect(page.locator('input[name="settlement.ethereum.live"]')).toHaveValue("");
  await expect(page.locator('input[name="settlement.tron.test"]')).toHaveValue("TJEh7TX8sNj5uq4hXKyYdTrnGmeeG48top");
  await expect(page.getByText("Settings Shop GmbH").first()).toBeVisible();

  // clearing the address removes it
  await page.locator('input[name="settlement.ethereum.test"]').fill("");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Settings saved" })).toBeVisible();
  await page.reload();
  await expect(page.locator('input[name="settlement.ethereum.test"]')).toHaveValue("");
});

test("invalid settings show errors next to their fields and are not saved", async ({ page }) => {
  await signUp(page, "Typo Traders", uniqueEmail("typo"));
  await page.goto("/dashboard/settings");
  const address = page.locator('input[name="settlement.polygon.test"]');
  await address.fill("0x1234");
  // a Tron address with one character changed: its base58check checksum fails
  const tron = page.locator('input[name="settlement.tron.test"]');
  await tron.fill("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6u");
  await page.getByLabel("Logo URL").fill("http://example.com/logo.png");
  await page.getByLabel("Payment tolerance").fill("12");
  await page.getByRole("button", { name: "Save changes" }).click();

  await expect(address).toHaveAttribute("aria-invalid", "true");
  await expect(page.locator('[id="settlement.polygon.test-error"]')).toContainText("Enter a valid EVM address");
  await expect(tron).toHaveAttribute("aria-invalid", "true");
  await expect(page.locator('[id="settlement.tron.test-error"]')).toContainText("Enter a valid Tron address");
  await expect(page.locator("#logoUrl-error")).toContainText("https://");
  await expect(page.locator("#tolerancePercent-error")).toContainText("at most 10%");
  await expect(address).toHaveValue("0x1234"); // what the user typed is kept

  await page.reload();
  await expect(address).toHaveValue("");
  await expect(page.getByLabel("Logo URL")).toHaveValue("");
  await expect(page.getByLabel("Payment tolerance")).toHaveValue("0");
});

test("change the password in Settings: a wrong current one changes nothing; then only the new one signs in, and other sessions are signed out", async ({ page, browser }) => {
  const email = uniqueEmail("pw");
  await signUp(page, "Password Shop", email);
  await page.goto("/dashboard/settings");
  const form = page.locator("section", { has: page.getByRole("heading", { name: "Password" }) });
  const NEW = "a much newer passphrase";

  // the form works once hydrated: retry until the server answers
  await expect(async () => {
    await form.getByLabel("Current password").fill("not the password");
    await form.getByLabel("New password", { exact: true }).fill(NEW);
    await form.getByLabel("Confirm new password").fill(NEW);
    await form.getByRole("button", { name: "Change password" }).click();
    await expect(form.getByRole("alert")).toHaveText("Your current password is not correct.", { timeout: 2_000 });
  }).toPass();
  await form.getByLabel("Current password").fill(PASSWORD);
  await form.getByLabel("New password", { exact: true }).fill("short");
  await form.getByLabel("Confirm new password").fill("short");
  await form.getByRole("button", { name: "Change password" }).click();
  await expect(form.getByRole("alert")).toHaveText("Use at least 10 characters.");
  await checkLayout(page, undefined, "settings-password");

  // nothing was written: the old password still signs in
  await page.getByRole("button", { name: "Sign out" }).click();
  await signIn(page, email, PASSWORD);
  await expect(page).toHaveURL(/\/dashboard$/);

  // the same user signed in elsewhere (another browser)
  const elsewhere = await browser.newContext();
  const other = await elsewhere.newPage();
  await signIn(other, email, PASSWORD);
  await expect(other).toHaveURL(/\/dashboard$/);

  await page.goto("/dashboard/settings");
  await form.getByLabel("Current password").fill(PASSWORD);
  await form.getByLabel("New password", { exact: true }).fill(NEW);
  await form.getByLabel("Confirm new password").fill(NEW);
  await form.getByRole("button", { name: "Change password" }).click();
  await expect(form.getByRole("status")).toContainText("Password changed.Your other signed-in sessions were signed out.");

  // this session goes on; the other one is signed out
  await page.goto("/dashboard/api-keys");
  await expect(page).toHaveURL(/\/dashboard\/api-keys$/);
  await other.goto("/dashboard/api-keys");
  await expect(other).toHaveURL(/\/sign-in/);
  await elsewhere.close();

  await page.getByRole("button", { name: "Sign out" }).click();
  await signIn(page, email, PASSWORD);
  await expect(page.getByRole("alert").filter({ hasText: /\S/ })).toHaveText("Incorrect email or password.");
  await signIn(page, email, NEW);
  await expect(page).toHaveURL(/\/dashboard$/);
});

test("a network settled in batches: the policy is saved, shown again, refused when invalid, and switched back to at once; address reuse is switched on and off", async ({ page }) => {
  await signUp(page, "Batch Bakery", uniqueEmail("batch"));
  await page.goto("/dashboard/settings");
  const mode = page.getByLabel("Ethereum test: settle each payment at once or in batches");
  await expect(mode).toHaveValue("instant");
  // networks whose checkouts settle on their own (Solana) offer no batches
  await expect(page.getByTestId("batch-solana.test")).toHaveCount(0);
  await mode.selectOption("batch");
  const row = page.getByTestId("batch-ethereum.test");
  await row.getByLabel("when waiting reaches ($)").fill("twenty");
  await row.getByLabel("or after (minutes)").fill("0");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(row.getByRole("alert")).toContainText("Enter an amount in dollars");
  await page.reload();
  await expect(mode).toHaveValue("instant"); // nothing was saved

  await mode.selectOption("batch");
  await row.getByLabel("when waiting reaches ($)").fill("250.5");
  await row.getByLabel("or after (minutes)").fill("720");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Settings saved" })).toBeVisible();
  await page.reload();
  await expect(mode).toHaveValue("batch");
  await expect(row.getByLabel("when waiting reaches ($)")).toHaveValue("250.50");
  await expect(row.getByLabel("or after (minutes)")).toHaveValue("720");

  await mode.selectOption("instant");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Settings saved" })).toBeVisible();
  await page.reload();
  await expect(mode).toHaveValue("instant");

  // reusing payment addresses: off by default, saved when ticked, off again when unticked
  const reuse = page.getByLabel("Reuse payment addresses on EVM networks");
  await expect(reuse).not.toBeChecked();
  await expect(page.locator("#reuseAddresses-hint")).toContainText("over 8 days past");
  await reuse.check();
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Settings saved" })).toBeVisible();
  await page.reload();
  await expect(reuse).toBeChecked();
  await reuse.uncheck();
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Settings saved" })).toBeVisible();
  await page.reload();
  await expect(reuse).not.toBeChecked();
});

test("a restricted key made in the dashboard reads sessions, is refused a write with 403, and the list says what it may do", async ({ page, request }) => {
  await signUp(page, "Scoped Shop", uniqueEmail("scoped"));
  const dialog = await openCreateKeyDialog(page);
  await dialog.getByLabel("Name").fill("Reporting");
  await dialog.getByLabel("Restricted").check();
  // a restricted key with no access at all is refused
  await dialog.getByRole("button", { name: "Create key" }).click();
  await expect(dialog.getByRole("alert")).toContainText("at least one resource");
  await dialog.getByLabel("Checkout sessions access").selectOption("read");
  await dialog.getByRole("button", { name: "Create key" }).click();
  const key = (await dialog.getByTestId("new-secret-key").innerText()).trim();
  await dialog.getByRole("button", { name: "Done" }).click();
  await expect(page.getByRole("row", { name: /Reporting/ }).getByTestId("key-access")).toHaveText("Restricted · Checkout sessions: read");

  const auth = { Authorization: `Bearer ${key}` };
  expect((await request.get("/v1/sessions", { headers: auth })).status()).toBe(200);
  const write = await request.post("/v1/sessions", { headers: auth, data: { destination: { type: "evm", address: "0xd8dA6BF26964aF9D7eEd9e03E53415D37aA96045", chainId: 31337, tokenAddress: "0x6D1A70703E4C7Cf35E2BE3B9DdED28401a915553", amountUnits: "1" } } });
  expect(write.status()).toBe(403);
  expect((await write.json() as { error: { type: string } }).error.type).toBe("permission_error");
});

/** TOTP written out here from RFC 6238 (independent of lib/auth/totp): the code of 30-second step `step`. */
function totp(secretB32: string, step: number): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const ch of secretB32) bits += alphabet.indexOf(ch).toString(2).padStart(5, "0");
  const key = Buffer.from((bits.match(/.{8}/g) ?? []).map((b) => parseInt(b, 2)));
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(step));
  const mac = createHmac("sha1", key).update(msg).digest();
  const o = mac[19] & 15;
  return String((mac.readUInt32BE(o) & 0x7fffffff) % 1_000_000).padStart(6, "0");
}
const stepNow = () => Math.floor(Date.now() / 30_000);

test("two-factor sign-in: set up with a code, asked at sign-in (a wrong or reused code refused), turned off with password and code", async ({ page }) => {
  test.setTimeout(150_000);
  const email = uniqueEmail("twofactor");
  await signUp(page, "Second Factor Shop", email);
  await page.goto("/dashboard/settings");
  const section = page.getByTestId("two-factor");
  await expect(section).toContainText("Off.");
  await section.getByRole("button", { name: "Set up two-factor sign-in" }).click();
  const secret = (await section.getByTestId("totp-secret").innerText()).trim();
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  await expect(section.getByTestId("payment-qr")).toHaveAttribute("data-payment-uri", new RegExp(`^otpauth://totp/Tollgate:.*secret=${secret}`));
  await section.getByLabel("Code from the app").fill("000000" === totp(secret, stepNow()) ? "111111" : "000000");
  await section.getByRole("button", { name: "Turn on" }).click();
  await expect(section.getByRole("alert")).toContainText("does not match");
  const setupStep = stepNow();
  await section.getByLabel("Code from the app").fill(totp(secret, setupStep));
  await section.getByRole("button", { name: "Turn on" }).click();
  await expect(section.getByRole("status")).toContainText("On:");

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await signIn(page, email, PASSWORD);
  const code = page.getByLabel("Authentication code");
  await expect(code).toBeVisible();
  await expect(page).toHaveURL(/\/sign-in$/);
  // the code used at set-up is spent
  await code.fill(totp(secret, setupStep));
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: /\S/ })).toContainText("not right, or was already used");
  await expect(page).toHaveURL(/\/sign-in$/);
  const signInStep = setupStep + 1; // accepted one step ahead (clock drift)
  await code.fill(totp(secret, signInStep));
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);

  // turning it off needs the password and a code newer than the last one used
  await page.goto("/dashboard/settings");
  await expect(section).toContainText("On:");
  await expect.poll(stepNow, { timeout: 40_000, intervals: [1_000] }).toBeGreaterThanOrEqual(signInStep);
  await section.getByLabel("Your password").fill(PASSWORD);
  await section.getByLabel("Current code").fill(totp(secret, stepNow() + 1));
  await section.getByRole("button", { name: "Turn off two-factor sign-in" }).click();
  await expect(section.getByRole("status")).toContainText("Off.");
  await page.getByRole("button", { name: "Sign out" }).click();
  await signIn(page, email, PASSWORD);
  await expect(page).toHaveURL(/\/dashboard$/);
});
