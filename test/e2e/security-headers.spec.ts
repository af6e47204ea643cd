// Security headers (issue 14): a nonce-based CSP on every page that the pages live with — no CSP
// violation on sign-up, the dashboard, the docs or the checkout (hydration, TanStack Query, the
// QR code) — frame-ancestors 'none', nosniff, Referrer-Policy, Permissions-Policy; nosniff on
// API responses; a favicon.
import type { Page, Response } from "@playwright/test";
import { signUp } from "./helpers/dashboard";
import { expect, test } from "./helpers/fixtures";
import { USDC } from "./helpers/stack";

function watchCsp(page: Page): string[] {
  const violations: string[] = [];
  page.on("console", (m) => { if (/content security policy/i.test(m.text())) violations.push(m.text()); });
  page.on("pageerror", (e) => { if (/content security policy/i.test(e.message)) violations.push(e.message); });
  return violations;
}

function expectPageHeaders(res: Response | null): string {
  expect(res?.status()).toBe(200);
  const h = res!.headers();
  const csp = h["content-security-policy"] ?? "";
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{16,}' 'strict-dynamic'/);
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("object-src 'none'");
  expect(h["x-content-type-options"]).toBe("nosniff");
  expect(h["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(h["permissions-policy"]).toContain("camera=()");
  expect(h["strict-transport-security"]).toBeUndefined(); // test instance over http
  return csp.match(/'nonce-([^']+)'/)![1]!;
}

test("sign-up, dashboard and docs carry a fresh nonce CSP and run without a violation", async ({ page }) => {
  const violations = watchCsp(page);
  const signUpPage = await page.goto("/sign-up");
  const nonce = expectPageHeaders(signUpPage);
  // Next.js put the nonce on its scripts
  expect(await page.locator(`script[nonce]`).count()).toBeGreaterThan(0);
  await signUp(page, "Header Check");
  await expect(page.getByRole("heading", { name: "Welcome, Header Check" })).toBeVisible();
  const dashboard = await page.goto("/dashboard/sessions");
  expect(expectPageHeaders(dashboard)).not.toBe(nonce);
  await page.waitForLoadState("networkidle");
  const docs = await page.goto("/docs/api");
  expectPageHeaders(docs);
  await page.waitForLoadState("networkidle");
  expect(violations).toEqual([]);
});

test("the checkout page works under its CSP: hydration, the API calls, the QR code", async ({ page, sessions }) => {
  const violations = watchCsp(page);
  const s = await sessions.create({ amountUnits: "12", destination: "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed" });
  expectPageHeaders(await page.goto(s.url));
  const qr = page.getByTestId("payment-qr");
  await expect(qr).toHaveAttribute("data-payment-uri", new RegExp(`^ethereum:${USDC}@`));
  await expect(qr.getByRole("img")).toBeVisible();
  await page.waitForLoadState("networkidle");
  expect(violations).toEqual([]);
});

test("API responses are nosniff; the favicon is served", async ({ request, merchant }) => {
  const api = await request.get("/v1/currencies", { headers: { Authorization: `Bearer ${merchant.key}` } });
  expect(api.status()).toBe(200);
  expect(api.headers()["x-content-type-options"]).toBe("nosniff");
  expect(api.headers()["content-security-policy"]).toBeUndefined();
  const icon = await request.get("/icon.svg");
  expect(icon.status()).toBe(200);
  expect(icon.headers()["content-type"]).toContain("image/svg+xml");
});
