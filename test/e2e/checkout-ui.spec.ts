// The hosted checkout page (/checkout/{id}) without a payment: branding, amount, the currency
// choice, QR and copy, countdown, states, languages, errors, the browser-wallet dialogue and 404s.
// Sessions come from the real API with a fresh merchant per test. States that need a payment
// (underpaid, processing, succeeded) are driven by answering the page's session API calls in the
// browser with the documented shapes (API.md §1). The browser-wallet transfer itself is checked on
// the devnet chain; the paid flow through the worker belongs to the payment specs.
import { randomBytes, randomUUID } from "node:crypto";
import { expect, test as base, type APIRequestContext, type Page, type Route } from "@playwright/test";
import { eq } from "drizzle-orm";
import { createPublicClient, erc20Abi, getAddress, http } from "viem";
import { merchants } from "@/db/schema";
import { createApiKey } from "@/lib/api-keys/keys";
import { closeDb, db } from "@/lib/db/client";
import { DEVNET_TOKEN_ADDRESSES } from "@/lib/devnet/evm-constants";
import { createMerchant } from "@/lib/merchants/create-merchant";

// The harness hands Playwright the stack's database; the seed helpers below write to it. (It wins
// over an inherited DATABASE_URL: the launcher's process may carry a stale one.)
if (process.env.TOLLGATE_TEST_DATABASE_URL) process.env.DATABASE_URL = process.env.TOLLGATE_TEST_DATABASE_URL;
process.env.LOG_LEVEL = "silent";

const ETHEREUM = 31337;
const POLYGON = 31338;
const DESTINATION = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed";
const RECEIVER = "0x8ba1f109551bD432803012645Ac136ddd64DBA72";
const PAYER = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";
const TX = "0x5c504ed432cb51138bcf09aa5e8a410dd4a1e204ef84bfed1be16dfba1b22060";
const SUCCESS_URL = "https://merchant.example/thanks";
const CANCEL_URL = "https://merchant.example/cart";

type Merchant = { merchantId: string; key: string; name: string };
type Session = Record<string, any> & { sessionId: string; url: string; clientSecret?: string };

const test = base.extend<{ merchant: Merchant }, { seedDb: void }>({
  seedDb: [async ({}, use) => {
    await use();
    await closeDb();
  }, { scope: "worker", auto: true }],
  // every test gets its own merchant, so tests never share state
  merchant: async ({}, use) => {
    const name = "Blue Harbor Coffee";
    const { merchantId } = await createMerchant({ name, email: `checkout-${randomBytes(6).toString("hex")}@test.local`, password: randomBytes(12).toString("base64url") });
    await db().update(merchants).set({ accentColor: "#0e7490" }).where(eq(merchants.id, merchantId));
    const { key } = await createApiKey(merchantId, false, "checkout ui");
    await use({ merchantId, key, name });
  },
});

async function createSession(request: APIRequestContext, m: Merchant, extra: Record<string, unknown> = {}): Promise<Session> {
  const res = await request.post("/v1/sessions", {
    headers: { Authorization: `Bearer ${m.key}` },
    data: {
      destination: { type: "evm", address: DESTINATION, chainId: ETHEREUM, tokenAddress: DEVNET_TOKEN_ADDRESSES.USDC, amountUnits: "25.5" },
      display: { title: "Order #1042", verb: "Pay" },
      successUrl: SUCCESS_URL,
      cancelUrl: CANCEL_URL,
      ...extra,
    },
  });
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()).session as Session;
}

const pathOf = (s: Session) => new URL(s.url).pathname;

/** The public view as the API would return it at some later point (API.md §1). */
function publicView(s: Session, patch: Record<string, unknown>): Record<string, unknown> {
  const { metadata: _m, clientSecret: _c, ...pub } = s;
  return { ...pub, ...patch };
}

const waiting = (s: Session, extra: Record<string, unknown> = {}) => publicView(s, {
  status: "waiting_payment",
  paymentMethod: { type: "evm", receiverAddress: RECEIVER, createdAt: s.createdAt, ...extra },
});

/**
 * Answers the page's session API calls in the browser: GET (polling) and POST paymentMethods
 * return `state()`, tokenOptions returns `options`. Returns the paymentMethods bodies it saw.
 */
async function answerSessionApi(page: Page, s: Session, state: () => Record<string, unknown>, opts: {
  options?: unknown[]; failChooseOnce?: boolean;
} = {}) {
  const chosen: any[] = [];
  const checks: any[] = [];
  let failures = opts.failChooseOnce ? 1 : 0;
  await page.route(`**/v1/sessions/${s.sessionId}**`, async (route: Route) => {
    const req = route.request();
    const url = new URL(req.url());
    if (url.pathname.endsWith("/tokenOptions")) {
      return route.fulfill({ json: { sessionId: s.sessionId, options: opts.options ?? [] } });
    }
    if (url.pathname.endsWith("/paymentMethods") && req.method() === "POST") {
      chosen.push(req.postDataJSON());
      if (failures > 0) {
        failures--;
        return route.fulfill({ status: 500, json: { error: { type: "api_error", code: "internal_error", message: "The deposit address service is unavailable.", param: null } } });
      }
    }
    if (url.pathname.endsWith("/check") && req.method() === "PUT") checks.push(req.postDataJSON());
    return route.fulfill({ json: { session: state() } });
  });
  return Object.assign(chosen, { checks });
}

test("shows the merchant's branding, the amount, the currency choice, test mode and a running countdown", async ({ page, request, merchant }) => {
  const s = await createSession(request, merchant);
  const polls: string[] = [];
  page.on("request", (r) => { if (r.method() === "GET" && r.url().includes(`/v1/sessions/${s.sessionId}`)) polls.push(r.url()); });

  const res = await page.goto(pathOf(s));
  expect(res?.status()).toBe(200);
  await expect(page.getByTestId("merchant-name")).toHaveText(merchant.name);
  await expect(page.getByTestId("merchant-initials")).toHaveText("BH"); // no logo: initials on the accent color
  await expect(page.locator("[style*='--accent']").first()).toHaveAttribute("style", /--accent:\s*#0e7490/);
  await expect(page.getByTestId("test-mode-banner")).toContainText("Test mode");
  await expect(page.getByTestId("checkout-title")).toHaveText("Order #1042");
  await expect(page.getByTestId("amount")).toHaveText("25.50 USDC");
  await expect(page).toHaveTitle("Order #1042 · Blue Harbor Coffee");

  // network and currency default to the destination's; both devnet chains and their stablecoins are offered
  const network = page.getByLabel("Network");
  const currency = page.getByLabel("Currency");
  await expect(network).toHaveValue(String(ETHEREUM));
  await expect(network.locator("option")).toHaveText(["Ethereum", "Polygon"]);
  await expect(currency.locator("option")).toHaveText(["USDC", "USDT"]);
  await expect(currency.locator("option:checked")).toHaveText("USDC");

  const countdown = page.getByTestId("countdown");
  await expect(countdown).toHaveText(/^Expires in (59|60):\d\d$/);
  const first = await countdown.textContent();
  await expect(countdown).not.toHaveText(first!, { timeout: 3_000 });

  // the status is polled (every 2 s), and the client secret never appears in a URL
  await expect.poll(() => polls.length, { timeout: 6_000 }).toBeGreaterThan(0);
  expect(page.url()).not.toContain(s.clientSecret!);
  for (const u of polls) expect(u).not.toContain(s.clientSecret!);
});

test("the merchant's logo is shown with alt text, and initials replace a logo that fails to load", async ({ page, request, merchant }) => {
  await page.route("https://logo.example/**", (r) => r.request().url().endsWith("/mark.svg")
    ? r.fulfill({ contentType: "image/svg+xml", body: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle cx="5" cy="5" r="5" fill="#0e7490"/></svg>' })
    : r.fulfill({ status: 404, body: "" }));
  await db().update(merchants).set({ logoUrl: "https://logo.example/mark.svg" }).where(eq(merchants.id, merchant.merchantId));
  const s = await createSession(request, merchant);
  await page.goto(pathOf(s));
  const logo = page.getByRole("img", { name: `${merchant.name} logo` });
  await expect(logo).toBeVisible();
  expect(await logo.evaluate((el: HTMLImageElement) => el.naturalWidth)).toBeGreaterThan(0);
  await expect(page.getByTestId("merchant-initials")).toHaveCount(0);

  await db().update(merchants).set({ logoUrl: "https://logo.example/missing.png" }).where(eq(merchants.id, merchant.merchantId));
  await page.reload();
  await expect(page.getByTestId("merchant-initials")).toHaveText("BH");
  await expect(page.getByRole("img", { name: `${merchant.name} logo` })).toHaveCount(0);
});

test("the QR code is an EIP-681 transfer of the amount to the deposit address; address and amount copy from the keyboard", async ({ page, context, request, merchant, baseURL }) => {
  const s = await createSession(request, merchant);
  const chosen = await answerSessionApi(page, s, () => waiting(s));
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseURL });
  await page.goto(pathOf(s));

  // arriving chooses the default (the destination's chain and token) for the payer
  const qr = page.getByTestId("payment-qr");
  await expect(qr).toHaveAttribute("data-payment-uri",
    `ethereum:${DEVNET_TOKEN_ADDRESSES.USDC}@${ETHEREUM}/transfer?address=${RECEIVER}&uint256=25500000`);
  await expect(qr.getByRole("img")).toHaveAttribute("src", /^data:image\/svg\+xml/);
  expect(chosen[0]).toEqual({ clientSecret: s.clientSecret, locale: "en", paymentMethod: { type: "evm", chainId: ETHEREUM, tokenAddress: DEVNET_TOKEN_ADDRESSES.USDC } });
  await expect(page.getByTestId("pay-address")).toHaveText(RECEIVER);
  await expect(page.getByTestId("pay-amount")).toHaveText("25.50 USDC");
  await expect(page.getByText("Send exactly 25.50 USDC on Ethereum to this address.")).toBeVisible();

  // another network and token: paymentMethods is called again and the QR follows
  await page.getByLabel("Network").selectOption(String(POLYGON));
  await page.getByLabel("Currency").selectOption({ label: "USDT" });
  await expect(qr).toHaveAttribute("data-payment-uri",
    `ethereum:${DEVNET_TOKEN_ADDRESSES.USDT}@${POLYGON}/transfer?address=${RECEIVER}&uint256=25500000`);
  expect(chosen.at(-1).paymentMethod).toEqual({ type: "evm", chainId: POLYGON, tokenAddress: DEVNET_TOKEN_ADDRESSES.USDT });

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
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(RECEIVER);

  const copyAmount = page.getByRole("button", { name: "Copy amount" });
  await copyAmount.focus();
  await page.keyboard.press("Enter");
  await expect(copyAmount).toHaveText("Copied");
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe("25.5");
});

test("underpaid, then processing, then succeeded with the transaction and a redirect to the success URL", async ({ page, request, merchant }) => {
  const s = await createSession(request, merchant);
  const source = { address: PAYER, chainId: ETHEREUM, chainName: "ethereum", tokenAddress: DEVNET_TOKEN_ADDRESSES.USDC, tokenSymbol: "USDC", sentUnits: "10", txHash: TX };
  let state = waiting(s, { source });
  state = { ...state, paidUnits: "10", remainingUnits: "15.5" };
  await answerSessionApi(page, s, () => state);
  await page.route("https://merchant.example/**", (r) => r.fulfill({ contentType: "text/html", body: "<title>Thanks</title><h1>Back at the shop</h1>" }));
  await page.goto(pathOf(s));

  const underpaid = page.getByTestId("status-underpaid");
  await expect(underpaid).toContainText("Partial payment received");
  await expect(page.getByTestId("paid-units")).toHaveText("10.00 USDC");
  await expect(page.getByTestId("remaining-units")).toHaveText("15.50 USDC");
  // the QR and amount ask for what remains
  await expect(page.getByTestId("payment-qr")).toHaveAttribute("data-payment-uri", /uint256=15500000$/);
  await expect(page.getByTestId("pay-amount")).toHaveText("15.50 USDC");
  await expect(page.getByTestId("status-announcer")).toHaveText("Partial payment received");

  state = publicView(s, { status: "processing", paymentMethod: { type: "evm", receiverAddress: RECEIVER, createdAt: s.createdAt, source: { ...source, sentUnits: "25.5" } } });
  await expect(page.getByTestId("status-processing")).toContainText("Payment detected, confirming…");
  await expect(page.getByTestId("status-announcer")).toHaveText("Payment detected, confirming…");
  await expect(page.getByTestId("payment-qr")).toHaveCount(0);
  await expect(page.getByTestId("countdown")).toHaveCount(0);

  state = { ...state, status: "succeeded", destination: { ...s.destination, delivery: { txHash: TX, receivedUnits: "25.5" } } };
  const done = page.getByTestId("status-succeeded");
  await expect(done).toContainText("Payment complete");
  await expect(page.getByTestId("status-announcer")).toHaveText("Payment complete");
  // devnet: no public explorer, so the hash is shown without a link
  await expect(done.getByTestId("tx-hash")).toHaveText(TX);
  await expect(done.getByRole("link", { name: /View on explorer/ })).toHaveCount(0);
  await expect(page.getByTestId("return-to-merchant")).toHaveAttribute("href", SUCCESS_URL);
  await expect(done).toContainText(/Taking you back in \d s…/);
  await page.waitForURL(SUCCESS_URL, { timeout: 10_000 });
});

test("the payer can stay on the success page instead of being redirected", async ({ page, request, merchant }) => {
  const s = await createSession(request, merchant);
  await answerSessionApi(page, s, () => publicView(s, { status: "succeeded", destination: { ...s.destination, delivery: { txHash: TX, receivedUnits: "25.5" } } }));
  await page.goto(pathOf(s));
  await page.getByRole("button", { name: "Stay on this page" }).click();
  await page.waitForTimeout(4_000);
  expect(new URL(page.url()).pathname).toBe(pathOf(s));
  await expect(page.getByRole("link", { name: `Return to ${merchant.name}` })).toBeVisible();
});

test("a bounced session says the payment went back to the refund address", async ({ page, request, merchant }) => {
  const s = await createSession(request, merchant, { refundAddress: PAYER });
  await answerSessionApi(page, s, () => publicView(s, { status: "bounced", destination: { ...s.destination, delivery: { txHash: TX, receivedUnits: "25.5" } } }));
  await page.goto(pathOf(s));
  const panel = page.getByTestId("status-bounced");
  await expect(panel).toContainText("Payment returned");
  await expect(panel).toContainText(PAYER);
  await expect(panel.getByTestId("tx-hash")).toHaveText(TX);
});

test("a cancelled session shows the expired state with its id and the way back", async ({ page, request, merchant }) => {
  const s = await createSession(request, merchant);
  const cancel = await request.post(`/v1/sessions/${s.sessionId}/cancel`, { headers: { Authorization: `Bearer ${merchant.key}` } });
  expect(cancel.status()).toBe(200);
  expect((await cancel.json()).session.status).toBe("expired");

  await page.goto(pathOf(s));
  const panel = page.getByTestId("status-expired");
  await expect(panel.getByRole("heading")).toHaveText("This checkout has expired");
  await expect(panel).toContainText(s.sessionId);
  await expect(panel.getByRole("link", { name: `Return to ${merchant.name}` })).toHaveAttribute("href", CANCEL_URL);
  await expect(page.getByTestId("countdown")).toHaveCount(0);
  await expect(page.getByLabel("Network")).toHaveCount(0);
  await expect(page.getByTestId("payment-qr")).toHaveCount(0);
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

test("language from ?locale=, from Accept-Language, and from the switcher (kept on reload)", async ({ page, request, merchant, browser }) => {
  const s = await createSession(request, merchant);
  const chosen = await answerSessionApi(page, s, () => waiting(s));

  const html = await (await request.get(`${pathOf(s)}?locale=es`)).text();
  expect(html).toMatch(/<div lang="es"/); // before any script runs
  await page.goto(`${pathOf(s)}?locale=es`);
  await expect(page.getByText("Importe a pagar")).toBeVisible();
  await expect(page.getByTestId("amount")).toHaveText("25,50 USDC");
  await expect(page.getByLabel("Red", { exact: true })).toBeVisible();
  await expect(page.getByTestId("countdown")).toHaveText(/^Caduca en/);
  await expect(page.locator("html")).toHaveAttribute("lang", "es");
  await expect(page.getByText(/Envía exactamente 25,50 USDC en Ethereum/)).toBeVisible();
  expect(chosen[0].locale).toBe("es");

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
    await p.goto(pathOf(s));
    await expect(p.getByText("Importe a pagar")).toBeVisible();
  } finally {
    await spanish.close();
  }
});

test("an API error while preparing the address shows its message and a working retry", async ({ page, request, merchant }) => {
  const s = await createSession(request, merchant);
  await answerSessionApi(page, s, () => waiting(s), { failChooseOnce: true });
  await page.goto(pathOf(s));
  const error = page.getByTestId("choose-error");
  await expect(error).toContainText("We couldn't prepare your payment address.");
  await expect(error).toContainText("The deposit address service is unavailable.");
  await expect(page.getByTestId("payment-qr")).toHaveCount(0);
  await error.getByRole("button", { name: "Try again" }).click();
  await expect(page.getByTestId("payment-qr")).toBeVisible();
  await expect(error).toHaveCount(0);
});

// An injected EIP-1193 wallet that refuses once, then connects on mainnet and cannot switch.
const STUBBORN_WALLET = `
  let asked = 0;
  window.ethereum = { request: async ({ method }) => {
    if (method === "eth_requestAccounts") {
      if (asked++ === 0) throw Object.assign(new Error("User rejected the request."), { code: 4001 });
      return ["${PAYER}"];
    }
    if (method === "eth_chainId") return "0x1";
    if (method === "wallet_switchEthereumChain") throw Object.assign(new Error("Unrecognized chain ID"), { code: 4902 });
    throw Object.assign(new Error("unsupported: " + method), { code: 4200 });
  } };`;

test("browser wallet: a rejection and a wallet that can't switch networks are explained; balances are shown", async ({ page, context, request, merchant }) => {
  const s = await createSession(request, merchant);
  await context.addInitScript({ content: STUBBORN_WALLET });
  await answerSessionApi(page, s, () => waiting(s), { options: [
    { chainId: ETHEREUM, tokenAddress: DEVNET_TOKEN_ADDRESSES.USDC, tokenSymbol: "USDC", requiredUnits: "25.5", balanceUnits: "3.2" },
    { chainId: POLYGON, tokenAddress: DEVNET_TOKEN_ADDRESSES.USDT, tokenSymbol: "USDT", requiredUnits: "25.5", balanceUnits: "1000" },
  ] });
  await page.goto(pathOf(s));

  const button = page.getByTestId("wallet-button");
  await expect(button).toHaveText("Pay with browser wallet");
  await button.click();
  await expect(page.getByTestId("wallet-error")).toHaveText("You cancelled the request in your wallet. Nothing was sent.");

  await button.click();
  await expect(page.getByTestId("wallet-account")).toContainText("0xf39F…2266");
  await expect(page.getByTestId("wallet-balance")).toContainText("Balance on Ethereum: 3.20 USDC");
  await expect(page.getByTestId("wallet-balance")).toContainText("This wallet doesn't hold enough USDC on Ethereum.");
  await expect(button).toHaveText("Pay 25.50 USDC");

  await button.click();
  await expect(page.getByTestId("wallet-error")).toHaveText(
    "Your wallet is on another network and couldn't switch to Ethereum (chain 31337). Switch networks in your wallet, then try again.");

  // the balance hint offers the token the wallet can pay with
  await page.getByRole("button", { name: "Polygon · USDT" }).click();
  await expect(page.getByLabel("Network")).toHaveValue(String(POLYGON));
  await expect(page.getByTestId("wallet-balance")).toContainText("Balance on Polygon: 1,000.00 USDT");
  await expect(button).toHaveText("Pay 25.50 USDT");
});

test("browser wallet pays on the devnet: switches chain, sends transfer(receiver, amount), then asks the server to check the tx", async ({ page, request, merchant }) => {
  const rpcUrl = process.env.TOLLGATE_TEST_RPC_ETHEREUM;
  test.skip(!rpcUrl, "needs the test stack's devnet (TOLLGATE_TEST_RPC_ETHEREUM)");
  const s = await createSession(request, merchant);
  const receiver = getAddress(`0x${randomBytes(20).toString("hex")}`);
  let state = waiting(s, { receiverAddress: receiver });
  const api = await answerSessionApi(page, s, () => state, { options: [
    { chainId: ETHEREUM, tokenAddress: DEVNET_TOKEN_ADDRESSES.USDC, tokenSymbol: "USDC", requiredUnits: "25.5", balanceUnits: "1000000" },
  ] });
  // A test wallet: anvil's unlocked account 0, starting on chain 1 so the page must switch it.
  const calls: string[] = [];
  await page.exposeFunction("__devnetRpc", async (method: string, params: unknown[]) => {
    calls.push(method);
    const res = await fetch(rpcUrl!, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) });
    const body = await res.json() as { result?: unknown; error?: { message: string; code: number } };
    if (body.error) throw new Error(body.error.message);
    return body.result;
  });
  await page.addInitScript({ content: `
    let chainId = "0x1";
    window.ethereum = { request: async ({ method, params }) => {
      if (method === "eth_requestAccounts" || method === "eth_accounts") return ["${PAYER}"];
      if (method === "eth_chainId") return chainId;
      if (method === "wallet_switchEthereumChain") { chainId = params[0].chainId; return null; }
      return window.__devnetRpc(method, params ?? []);
    } };` });

  const chain = createPublicClient({ transport: http(rpcUrl) });
  const balance = () => chain.readContract({ address: DEVNET_TOKEN_ADDRESSES.USDC, abi: erc20Abi, functionName: "balanceOf", args: [receiver] });
  expect(await balance()).toBe(0n);

  await page.goto(pathOf(s));
  const button = page.getByTestId("wallet-button");
  await button.click();
  await expect(page.getByTestId("wallet-balance")).toContainText("Balance on Ethereum: 1,000,000.00 USDC");
  await button.click();
  const sent = page.getByTestId("wallet-sent");
  await expect(sent).toContainText("Transaction sent.");
  const txHash = (await sent.locator("code").textContent())!;
  expect(txHash).toMatch(/^0x[0-9a-f]{64}$/);
  expect(calls).toContain("eth_sendTransaction");

  // the transfer reached the deposit address, for exactly the amount due
  await expect.poll(balance, { timeout: 15_000 }).toBe(25_500_000n);
  const receipt = await chain.waitForTransactionReceipt({ hash: txHash as `0x${string}` });
  expect(receipt.status).toBe("success");
  expect(getAddress(receipt.from)).toBe(PAYER);

  await expect.poll(() => api.checks.length).toBeGreaterThan(0);
  expect(api.checks[0]).toEqual({ clientSecret: s.clientSecret, txHash });
  state = publicView(s, { status: "processing", paymentMethod: { type: "evm", receiverAddress: receiver, createdAt: s.createdAt,
    source: { address: PAYER, chainId: ETHEREUM, chainName: "ethereum", tokenAddress: DEVNET_TOKEN_ADDRESSES.USDC, tokenSymbol: "USDC", sentUnits: "25.5", txHash } } });
  await expect(page.getByTestId("status-processing")).toContainText(txHash);
});
