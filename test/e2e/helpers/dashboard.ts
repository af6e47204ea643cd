// Dashboard steps the browser specs share: sign up a fresh merchant and create a test key.
import { expect, type Page } from "@playwright/test";

export const PASSWORD = "correct horse battery";

export function uniqueEmail(tag: string): string {
  return `${tag}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.test`;
}

/** Signs up a new merchant (its own account, so specs never share state) and lands on the dashboard. */
export async function signUp(page: Page, name: string, email = uniqueEmail(name.toLowerCase().replace(/\W+/g, "-"))): Promise<void> {
  await page.goto("/sign-up");
  await page.getByLabel("Business name").fill(name);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByLabel("Confirm password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
}

/** The API keys page's "Create secret key" dialog, open. */
export async function openCreateKeyDialog(page: Page) {
  await page.goto("/dashboard/api-keys");
  const dialog = page.getByRole("dialog");
  // the button works once the page has hydrated; retry the click until the dialog opens
  await expect(async () => {
    await page.getByRole("button", { name: "Create secret key" }).click();
    await expect(dialog).toBeVisible({ timeout: 1_000 });
  }).toPass();
  return dialog;
}

/** Creates a key on the API keys page and returns the full key from the one-time dialog. */
export async function createKey(page: Page, name: string): Promise<string> {
  const dialog = await openCreateKeyDialog(page);
  await dialog.getByLabel("Name").fill(name);
  await dialog.getByRole("button", { name: "Create key" }).click();
  await expect(dialog.getByText("It won't be shown again.")).toBeVisible();
  const key = (await dialog.getByTestId("new-secret-key").innerText()).trim();
  expect(key).toMatch(/^sk_test_[A-Za-z0-9_-]{32}$/);
  await dialog.getByRole("button", { name: "Done" }).click();
  await expect(dialog).toBeHidden();
  return key;
}
