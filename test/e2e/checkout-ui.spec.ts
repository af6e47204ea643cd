// The hosted checkout page (/checkout/{id}) before and around a payment: branding, amount, the
// currency choice, QR and copy, countdown, the expired state, 404s, languages, a failed request
// with its retry and the browser-wallet dialogue. Everything runs against the real stack: sessions
// come from the API with a fresh merchant per test, the page's calls are answered by the real
// server, balances are read from the devnet. Only external hosts (a merchant's logo) are stubbed.
// Paying — underpaid, processing, succeeded, the successUrl redirect, bounced — is in
// checkout-payment.spec.ts, on the devnet.
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { checkouts, merchants } from "@/db/schema";
import { db } from "@/lib/db/client";
import { balanceOf } from "./helpers/chain";
import { checkoutRow, expect, test, type Session } from "./helpers/fixtures";
import { checkLayout } from "./helpers/layout";
import { readInstructions, recordAnnouncements, watchSessionCalls } from "./helpers/page";
import { installTestWallet } from "./helpers/wallet";
import { CHAINS, USDC, USDT } from "./helpers/stack";

const ETHEREUM = CHAINS.ethereum.chainId;
const POLYGON = CHAINS.polygon.chainId;
const DESTINATION = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed";
const SUCCESS_URL = "https://merchant.example/thanks";
const CANCEL_URL = "https://merchant.example/cart";

const order = { amountUnits: "25.5", destination: DESTINATION, successUrl: SUCCESS_URL, cancelUrl: CANCEL_URL } as const;
const pathOf = (s: Session) => new URL(s.url).pathname;

test("shows the merchant's branding, the amount, the currency choice, test mode and a running countdown", async ({ page, sessions, merchant }) => {
  const s = await sessions.create(order);
  const polls: string[] = [];
  page.on("request", (r) => { if (r.method() === "GET" && r.url().includes(`/v1/sessions/${s.sessionId}`)) polls.push(r.url()); });

  const res = await page.goto(s.url);
  expect(res?.status()).toBe(200);
  await expect(page.getByTestId("merchant-name")).toHaveText(merchant.name);
  await expect(page.getByTestId("merchant-initials")).toHaveText("BH"); // no logo: initials on the accent color
  await expect(page.locator("[style*='--accent']").first()).toHaveAttribute("style", /--accent:\s*#0e7490/);
  await expect(page.getByTestId("test-mode-banner")).toContainText("Test mode");
  await expect(page.getByTestId("checkout-title")).toHaveText("Order #1042");
  await expect(page.getByTestId("amount")).toHaveText("25.50 USDC");
  await expect(page).toHaveTitle("Order #1042 · Blue Harbor Coffee");

  // network and currency default to the destination's; the devnet chains with stablecoins are offered (Bahamut has none)
  const network = page.getByLabel("Network");
  const currency = page.getByLabel("Currency");
  await expect(network).toHaveValue(String(ETHEREUM));
  await expect(network.locator("option")).toHaveText(["Ethereum", "Polygon", "BNB Smart Chain", "Tron", "TON"]);
  await expect(currency.locator("option")).toHaveText(["USDC", "USDT"]);
  await expect(currency.locator("option:checked")).toHaveText("USDC");
  await expect(page.getByTestId("status-announcer")).toHaveText("Waiting for payment");

  const countdown = page.getByTestId("countdown");
  await expect(countdown).toHaveText(/^Expires in (59|60):\d\d$/);
  const first = await countdown.textContent();
  await expect(countdown).not.toHaveText(first!, { timeout: 3_000 });

  // the status is polled (every 2 s), and the client secret never appears in a URL
  await expect.poll(() => polls.length, { timeout: 6_000 }).toBeGreaterThan(0);
  expect(page.url()).not.toContain(s.clientSecret);
  for (const u of polls) expect(u).not.toContain(s.clientSecret);
});

test("the merchant's logo is shown with alt text, and initials replace a logo that fails to load", async ({ page, sessions, merchant }) => {
  // the logo lives on the merchant's own host: an external one, stubbed
  await page.route("https://logo.example/**", (r) => r.request().url().endsWith("/mark.svg")
    ? r.fulfill({ contentType: "image/svg+xml", body: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle cx="5" cy="5" r="5" fill="#0e7490"/></svg>' })
    : r.fulfill({ status: 404, body: "" }));
  await db().update(merchants).set({ logoUrl: "https://logo.example/mark.svg" }).where(eq(merchants.id, merchant.merchantId));
  const s = await sessions.create(order);
  await page.goto(s.url);
  const logo = page.getByRole("img", { name: `${merchant.name} logo` });
  await expect(logo).toBeVisible();
  expect(await logo.evaluate((el: HTMLImageElement) => el.naturalWidth)).toBeGreaterThan(0);
  await expect(page.getByTestId("merchant-initials")).toHaveCount(0);

  await db().update(merchants).set({ logoUrl: "https://logo.example/missing.png" }).where(eq(merchants.id, merchant.merchantId));
  await page.reload();
  await expect(page.getByTestId("merchant-initials")).toHaveText("BH");
  await expect(page.getByRole("img", { name: `${merchant.name} logo` })).toHaveCount(0);
});

test("the QR code is an EIP-681 transfer of the amount to the session's deposit address; address and amount copy from the keyboard", async ({ page, context, sessions, baseURL }) => {
  const s = await sessions.create(order);
  const calls = watchSessionCalls(page, s.sessionId);
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseURL });
  await page.goto(s.url);

  // arriving chooses the default (the destination's chain and token) for the payer; the server
  // issues the session's deposit address
  const qr = page.getByTestId("payment-qr");
  const pay = await readInstructions(page, { chainId: ETHEREUM, token: USDC, amountText: "25.50 USDC" });
  const receiver = (await sessions.get(s.sessionId)).paymentMethod.receiverAddress;
  expect(pay).toEqual({ token: USDC, chainId: ETHEREUM, receiver, units: 25_500_000n });
  await expect(qr).toHaveAttribute("data-payment-uri", `ethereum:${USDC}@${ETHEREUM}/transfer?address=${receiver}&uint256=25500000`);
  await expect(qr.getByRole("img")).toHaveAttribute("src", /^data:image\/svg\+xml/);
  // a plain-address QR beside the payment request, for wallets that read no request
  await page.getByRole("button", { name: "Address only" }).click();
  await expect(qr).toHaveAttribute("data-payment-uri", receiver);
  await expect(page.getByRole("button", { name: "Address only" })).toHaveAttribute("aria-pressed", "true");
  await page.getByRole("button", { name: "Payment request" }).click();
  await expect(qr).toHaveAttribute("data-payment-uri", `ethereum:${USDC}@${ETHEREUM}/transfer?address=${receiver}&uint256=25500000`);
  // EVM wallets open this very page in their own browser
  const wallets = page.getByTestId("wallet-links");
  await expect(wallets.getByRole("link")).toHaveText(["MetaMask", "Trust Wallet", "Coinbase Wallet"]);
  await expect(wallets.getByRole("link", { name: "MetaMask" })).toHaveAttribute("href", `https://link.metamask.io/dapp/${s.url.replace(/^https?:\/\//, "")}`);
  await checkLayout(page, process.env.UX_SHOTS, "checkout-wallet-links");
  await expect(wallets.getByRole("link", { name: "Coinbase Wallet" })).toHaveAttribute("href", `https://go.cb-w.com/dapp?cb_url=${encodeURIComponent(s.url)}`);
  const chosen = calls.filter((c) => c.method === "POST" && c.path === "/paymentMethods").map((c) => c.body);
  expect(chosen).toEqual([{ clientSecret: s.clientSecret, locale: "en", paymentMethod: { type: "evm", chainId: ETHEREUM, tokenAddress: USDC } }]);
  await expect(page.getByText("Send exactly 25.50 USDC on Ethereum to this address.")).toBeVisible();

  // another network and token: paymentMethods is called again, the server records the choice and
  // keeps the address, and the QR follows
  await page.getByLabel("Network").selectOption(String(POLYGON));
  await page.getByLabel("Currency").selectOption({ label: "USDT" });
  await expect(qr).toHaveAttribute("data-payment-uri", `ethereum:${USDT}@${POLYGON}/transfer?address=${receiver}&uint256=25500000`);
  await expect(page.getByText("Send exactly 25.50 USDT on Polygon to this address.")).toBeVisible();
  expect(calls.filter((c) => c.method === "POST" && c.path === "/paymentMethods").at(-1)!.body.paymentMethod)
    .toEqual({ type: "evm", chainId: POLYGON, tokenAddress: USDT });
  await expect.poll(async () => {
    const row = await checkoutRow(s.sessionId);
    return [row.paymentMethodChainId, row.paymentMethodTokenAddress?.toLowerCase(), row.paymentMethodReceiverAddress];
  }).toEqual([POLYGON, USDT.toLowerCase(), receiver]);

  // every control is reachable with Tab, with a visible focus indicator
  await page.locator("body").click({ position: { x: 2, y: 2 } });
  const reached: string[] = [];
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press("Tab");
    const info = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      return el && el !== document.body ? { name: el.getAttribute("aria-label") ?? el.id ?? "", outline: getComputedStyle(el).outlineStyle } : null;
    });
    if (!info) continue;
    reached.push(info.name);
    expect(info.outline, `focus indicator on ${info.name}`).not.toBe("none");
  }
  for (const name of ["checkout-language", "checkout-network", "checkout-currency", "Copy address", "Copy amount"]) expect(reached).toContain(name);

  const copyAddress = page.getByRole("button", { name: "Copy address" });
  await copyAddress.focus();
  await page.keyboard.press("Enter");
  await expect(copyAddress).toHaveText("Copied");
  await expect(page.getByRole("status").filter({ hasText: "Address copied" })).toBeAttached();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(receiver);

  const copyAmount = page.getByRole("button", { name: "Copy amount" });
  await copyAmount.focus();
  await page.keyboard.press("Enter");
  await expect(copyAmount).toHaveText("Copied");
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe("25.5");
});

test("a cancelled session shows the expired state with its id and the way back", async ({ page, sessions }) => {
  const s = await sessions.create(order);
  expect((await sessions.cancel(s.sessionId)).status).toBe("expired");

  await page.goto(s.url);
  const panel = page.getByTestId("status-expired");
  await expect(panel.getByRole("heading")).toHaveText("This checkout has expired");
  await expect(panel).toContainText(s.sessionId);
  await expect(panel.getByRole("link", { name: "Return to Blue Harbor Coffee" })).toHaveAttribute("href", CANCEL_URL);
  await expect(page.getByTestId("countdown")).toHaveCount(0);
  await expect(page.getByLabel("Network")).toHaveCount(0);
  await expect(page.getByTestId("payment-qr")).toHaveCount(0);
});

test("a session cancelled while the payer looks at it turns into the expired state, announced in the live region", async ({ page, sessions }) => {
  const s = await sessions.create(order);
  const announced = await recordAnnouncements(page);
  await page.goto(s.url);
  await expect(page.getByTestId("payment-qr")).toBeVisible();
  const announcer = page.getByTestId("status-announcer");
  await expect(announcer).toHaveAttribute("aria-live", "polite");
  await expect(announcer).toHaveAttribute("role", "status");
  await expect(announcer).toHaveText("Waiting for payment");

  await sessions.cancel(s.sessionId);
  await expect(page.getByTestId("status-expired")).toBeVisible({ timeout: 10_000 }); // the next poll
  await expect(announcer).toHaveText("This checkout has expired");
  await expect(page.getByTestId("payment-qr")).toHaveCount(0);
  await expect(page.getByTestId("countdown")).toHaveCount(0);
  expect(await announced()).toEqual(["Waiting for payment", "This checkout has expired"]);
  expect(await sessions.eventTypes(s.sessionId)).toContain("session.expired");
});

test("an unknown or malformed session id is a 404 page in the payer's language", async ({ page, request, browser }) => {
  for (const id of [randomUUID(), "not-a-session"]) {
    const res = await request.get(`/checkout/${id}`);
    expect(res.status()).toBe(404);
  }
  const res = await page.goto(`/checkout/${randomUUID()}`);
  expect(res?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Checkout not found" })).toBeVisible();

  const german = await browser.newContext({ locale: "de-DE" });
  try {
    const p = await german.newPage();
    await p.goto(`/checkout/${randomUUID()}`);
    await expect(p.getByRole("heading", { name: "Checkout nicht gefunden" })).toBeVisible();
    await expect(p).toHaveTitle("Checkout nicht gefunden");
  } finally {
    await german.close();
  }
});

test("language from ?locale=, from Accept-Language, and from the switcher (kept on reload)", async ({ page, request, sessions, browser }) => {
  const s = await sessions.create(order);
  const calls = watchSessionCalls(page, s.sessionId);

  const html = await (await request.get(`${pathOf(s)}?locale=es`)).text();
  expect(html).toMatch(/<div lang="es"/); // before any script runs
  await page.goto(`${pathOf(s)}?locale=es`);
  await expect(page.getByText("Importe a pagar")).toBeVisible();
  await expect(page.getByTestId("amount")).toHaveText("25,50 USDC");
  await expect(page.getByLabel("Red", { exact: true })).toBeVisible();
  await expect(page.getByTestId("countdown")).toHaveText(/^Caduca en/);
  await expect(page.locator("html")).toHaveAttribute("lang", "es");
  await expect(page.getByText(/Envía exactamente 25,50 USDC en Ethereum/)).toBeVisible();
  expect(calls.find((c) => c.path === "/paymentMethods")?.body.locale).toBe("es");

  await page.getByLabel("Idioma").selectOption("de");
  await expect(page.getByText("Zu zahlender Betrag")).toBeVisible();
  await expect(page.getByRole("button", { name: "Adresse kopieren" })).toBeVisible();
  await expect(page.getByTestId("test-mode-banner")).toContainText("Testmodus");
  await expect(page.locator("html")).toHaveAttribute("lang", "de");
  expect(new URL(page.url()).searchParams.get("locale")).toBe("de");
  await page.reload();
  await expect(page.getByText("Zu zahlender Betrag")).toBeVisible();

  const spanish = await browser.newContext({ locale: "es-ES" });
  try {
    const p = await spanish.newPage();
    await p.goto(s.url);
    await expect(p.getByText("Importe a pagar")).toBeVisible();
  } finally {
    await spanish.close();
  }
});

test("a server error while preparing the address shows its message and a working retry", async ({ page, sessions }) => {
  test.setTimeout(90_000);
  const s = await sessions.create(order);
  const calls = watchSessionCalls(page, s.sessionId);
  // A real failure: another transaction holds the session's row (as a stuck worker would); the
  // server's paymentMethods waits for it up to its lock_timeout (10 s), then answers 500.
  let release!: () => void;
  const released = new Promise<void>((r) => { release = r; });
  let locked!: () => void;
  const isLocked = new Promise<void>((r) => { locked = r; });
  const holder = db().transaction(async (tx) => {
    await tx.select({ id: checkouts.id }).from(checkouts).where(eq(checkouts.id, s.sessionId)).for("update");
    locked();
    await released;
  });
  try {
    await isLocked;
    await page.goto(s.url);
    const error = page.getByTestId("choose-error");
    await expect(error).toContainText("We couldn't prepare your payment address.", { timeout: 30_000 });
    await expect(error).toContainText("An unexpected error occurred. It has been logged.");
    await expect(error).toHaveAttribute("role", "alert");
    await expect(page.getByTestId("payment-qr")).toHaveCount(0);
    expect((await sessions.get(s.sessionId)).status).toBe("requires_payment_method");
  } finally {
    release();
    await holder;
  }

  await page.getByTestId("choose-error").getByRole("button", { name: "Try again" }).click();
  await readInstructions(page, { chainId: ETHEREUM, token: USDC, amountText: "25.50 USDC" });
  await expect(page.getByTestId("choose-error")).toHaveCount(0);
  expect(calls.filter((c) => c.method === "POST" && c.path === "/paymentMethods")).toHaveLength(2);
  expect((await sessions.get(s.sessionId)).status).toBe("waiting_payment");
});

test("browser wallet: a rejection and a wallet that can't switch networks are explained; real balances pick the token to pay with", async ({ page, sessions, payer }) => {
  // the payer's wallet holds too little USDC on Ethereum but plenty of USDT on Polygon (on the devnet)
  const p = await payer({ ethereum: { USDC: 3_200_000n }, polygon: { USDT: 1_000_000_000n } });
  const s = await sessions.create(order);
  // a wallet that refuses the first connection, sits on mainnet and cannot switch
  const wallet = await installTestWallet(page, p.account, { startChainId: 1, rejectConnects: 1, canSwitch: false });
  const calls = watchSessionCalls(page, s.sessionId);
  await page.goto(s.url);
  await readInstructions(page, { chainId: ETHEREUM, token: USDC, amountText: "25.50 USDC" });

  const button = page.getByTestId("wallet-button");
  await expect(button).toHaveText("Pay with browser wallet");
  await button.click();
  await expect(page.getByTestId("wallet-error")).toHaveText("You cancelled the request in your wallet. Nothing was sent.");

  await button.click();
  await expect(page.getByTestId("wallet-account")).toContainText(`${p.address.slice(0, 6)}…${p.address.slice(-4)}`);
  // balances come from the real tokenOptions endpoint, which reads the devnet chains
  await expect(page.getByTestId("wallet-balance")).toContainText("Balance on Ethereum: 3.20 USDC");
  await expect(page.getByTestId("wallet-balance")).toContainText("This wallet doesn't hold enough USDC on Ethereum.");
  const options = calls.find((c) => c.path.startsWith("/tokenOptions"))!;
  expect(options.method).toBe("GET");
  await expect(button).toHaveText("Pay 25.50 USDC");

  await button.click();
  await expect(page.getByTestId("wallet-error")).toHaveText(
    "Your wallet is on another network and couldn't switch to Ethereum (chain 31337). Switch networks in your wallet, then try again.");
  expect(wallet.chainId()).toBe(1);

  // the balance hint offers the one token the wallet can pay with
  await expect(page.getByRole("button", { name: /^(Ethereum|Polygon) · / })).toHaveText(["Polygon · USDT"]);
  await page.getByRole("button", { name: "Polygon · USDT" }).click();
  await expect(page.getByLabel("Network")).toHaveValue(String(POLYGON));
  await expect(page.getByTestId("wallet-balance")).toContainText("Balance on Polygon: 1,000.00 USDT");
  await expect(page.getByTestId("wallet-balance")).not.toContainText("doesn't hold enough");
  await expect(button).toHaveText("Pay 25.50 USDT");
  await readInstructions(page, { chainId: POLYGON, token: USDT, amountText: "25.50 USDT" });

  // nothing was signed or sent
  expect(wallet.sent).toEqual([]);
  expect(wallet.calls.map((c) => c.method)).not.toContain("eth_sendTransaction");
  expect(await balanceOf("ethereum", "USDC", p.address)).toBe(3_200_000n);
  expect(await balanceOf("polygon", "USDT", p.address)).toBe(1_000_000_000n);
});
