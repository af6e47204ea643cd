// The hosted checkout's Tron view (issue 5): picking Tron asks the server for the session's TRC-20
// receiver, which the page shows as a QR (the plain base58 address Tron wallets scan) with copy
// buttons and the network warning, in the payer's language. Real stack, fresh merchant per test.
import { createTestClient, createWalletClient, erc20Abi, http, parseEther, type Address } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { settlementAddresses } from "@/db/schema";
import { db } from "@/lib/db/client";
import { hexToTron, isTronAddress, tronToHex } from "@/lib/addresses";
import { DEVNET_TOKEN_ADDRESSES, mintDevnetToken } from "@/lib/devnet/evm";
import { DEVNET_TRON_CHAIN } from "@/lib/devnet/tron-constants";
import { TON_CHOICE_CHAIN_ID, TRON_CHOICE_CHAIN_ID } from "@/components/checkout/types";
import { DEVNET_TON_JETTON_MASTER } from "@/lib/devnet/ton-constants";
import { p2wpkhAddress } from "@/lib/chains/bitcoin/address";
import { randomBytes } from "node:crypto";
import { setStandInPrices } from "../setup/rate-stand-in";
import { expect, test } from "./helpers/fixtures";
import { watchSessionCalls } from "./helpers/page";

const order = { amountUnits: "25.5", destination: "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed" } as const;

test("TON: picking USDT on TON shows the session's own TON receiver as a ton://transfer QR with the jetton and the amount", async ({ page, sessions }) => {
  const s = await sessions.create(order);
  await page.goto(s.url);
  await page.getByLabel("Network").selectOption(String(TON_CHOICE_CHAIN_ID));
  await expect(page.getByLabel("Currency").locator("option")).toHaveText(["USDT"]);
  await expect.poll(async () => (await sessions.get(s.sessionId)).paymentMethod?.type).toBe("ton");
  const receiver: string = (await sessions.get(s.sessionId)).paymentMethod.receiverAddress;
  expect(receiver).toMatch(/^0Q[A-Za-z0-9_-]{46}$/);
  await expect(page.getByTestId("payment-qr")).toHaveAttribute("data-payment-uri", `ton://transfer/${receiver}?jetton=${DEVNET_TON_JETTON_MASTER}&amount=25500000`);
  await expect(page.getByTestId("pay-address")).toHaveText(receiver);
});

test("Bitcoin: picking Bitcoin quotes the session in BTC and shows the session's own receiver as a bitcoin: QR with the amount", async ({ page, sessions, merchant }) => {
  const ratesUrl = process.env.TOLLGATE_TEST_RATES_URL;
  if (!ratesUrl) throw new Error("TOLLGATE_TEST_RATES_URL is not set: run through scripts/test.ts");
  await setStandInPrices(ratesUrl, { "BTC-USD": "60000" });
  await db().insert(settlementAddresses).values({ merchantId: merchant.merchantId, network: "bitcoin", livemode: false, address: p2wpkhAddress(randomBytes(20), "rb") });
  const s = await sessions.create(order);
  const calls = watchSessionCalls(page, s.sessionId);
  await page.goto(s.url);
  await page.getByLabel("Network").selectOption({ label: "Bitcoin" });
  await expect(page.getByLabel("Currency").locator("option")).toHaveText(["BTC"]);
  await expect.poll(async () => (await sessions.get(s.sessionId)).paymentMethod?.type).toBe("bitcoin");
  expect(calls.filter((c) => c.method === "POST" && c.path === "/paymentMethods").at(-1)!.body.paymentMethod).toEqual({ type: "bitcoin", network: "bitcoin" });
  const pm = (await sessions.get(s.sessionId)).paymentMethod;
  const receiver: string = pm.receiverAddress;
  expect(receiver).toMatch(/^rb1q/);
  // 25.50 USD at 60000 USD/BTC: 0.000425 BTC, in a BIP21 URI with the address
  expect(pm.quote).toMatchObject({ network: "bitcoin", asset: "BTC", amountUnits: "0.000425", rate: "60000", currency: "USD" });
  await expect(page.getByTestId("payment-qr")).toHaveAttribute("data-payment-uri", `bitcoin:${receiver}?amount=0.000425`);
  await expect(page.getByTestId("pay-address")).toHaveText(receiver);
  await expect(page.getByTestId("pay-amount")).toHaveText("0.000425 BTC");
  await expect(page.getByTestId("quote-amount")).toContainText("0.000425 BTC");
  // the price is the session's: still 25.50 USDC
  await expect(page.getByTestId("amount")).toHaveText(/25\.50\s*USDC/);
  // a reload keeps the choice, the receiver and the quoted amount
  await page.reload();
  await expect(page.getByTestId("payment-qr")).toHaveAttribute("data-payment-uri", `bitcoin:${receiver}?amount=0.000425`);
});

test("Tron: the receiver as QR and to copy, the amount to copy, and the TRC-20 warning", async ({ page, context, sessions, baseURL }) => {
  const s = await sessions.create(order);
  const calls = watchSessionCalls(page, s.sessionId);
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseURL });
  await page.goto(s.url);
  await expect(page.getByTestId("payment-qr")).toHaveAttribute("data-payment-uri", /^ethereum:/);

  await page.getByLabel("Network").selectOption(String(TRON_CHOICE_CHAIN_ID));
  await expect(page.getByLabel("Currency").locator("option")).toHaveText(["USDT", "USDC"]);
  // the currency is kept across networks (the destination's USDC); the payer switches to USDT
  await expect(page.getByLabel("Currency").locator("option:checked")).toHaveText("USDC");
  await page.getByLabel("Currency").selectOption({ label: "USDT" });

  // the server allocated the session's Tron receiver; the page shows exactly that one
  await expect.poll(async () => (await sessions.get(s.sessionId)).paymentMethod?.type).toBe("tron");
  const receiver: string = (await sessions.get(s.sessionId)).paymentMethod.receiverAddress;
  expect(isTronAddress(receiver)).toBe(true);
  expect(calls.filter((c) => c.method === "POST" && c.path === "/paymentMethods").at(-1)!.body.paymentMethod).toEqual({ type: "tron" });

  const qr = page.getByTestId("payment-qr");
  await expect(qr).toHaveAttribute("data-payment-uri", receiver);
  await expect(qr.getByRole("img")).toHaveAttribute("src", /^data:image\/svg\+xml/);
  await expect(qr.getByRole("img")).toHaveAttribute("alt", `QR code: pay 25.50 USDT on Tron to ${receiver}`);
  await expect(page.getByTestId("pay-address")).toHaveText(receiver);
  await expect(page.getByTestId("pay-amount")).toHaveText("25.50 USDT");
  await expect(page.getByText("Send exactly 25.50 USDT on Tron to this address.")).toBeVisible();
  await expect(page.getByTestId("network-warning")).toContainText("Send only USDT on Tron (TRC-20)");
  await expect(page.getByRole("link", { name: "Open in wallet app" })).toHaveCount(0); // EIP-681 links are for EVM wallets
  // Tron's QR is the plain address already (no toggle); TronLink, not the EVM wallets, opens the page
  await expect(page.getByTestId("qr-toggle")).toHaveCount(0);
  await expect(page.getByTestId("wallet-links").getByRole("link")).toHaveText(["TronLink"]);
  await expect(page.getByTestId("wallet-links").getByRole("link")).toHaveAttribute("href", /^tronlinkoutside:\/\/pull\.activity\?param=/);

  const copyAddress = page.getByRole("button", { name: "Copy address" });
  await copyAddress.click();
  await expect(copyAddress).toHaveText("Copied");
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(receiver);
  const copyAmount = page.getByRole("button", { name: "Copy amount" });
  await copyAmount.click();
  await expect(copyAmount).toHaveText("Copied");
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe("25.5");

  // USDC on Tron: same receiver, the warning names it
  await page.getByLabel("Currency").selectOption({ label: "USDC" });
  await expect(page.getByTestId("network-warning")).toContainText("Send only USDC on Tron (TRC-20)");
  await expect(page.getByTestId("pay-address")).toHaveText(receiver);

  // a reload keeps the choice and the receiver
  await page.reload();
  await expect(page.getByLabel("Network")).toHaveValue(String(TRON_CHOICE_CHAIN_ID));
  await expect(page.getByTestId("pay-address")).toHaveText(receiver);
});

test("Tron warning in Spanish and German", async ({ page, sessions }) => {
  const s = await sessions.create(order);
  for (const [locale, text] of [["es", "Envía solo USDT en Tron (TRC-20)"], ["de", "Sende nur USDT auf Tron (TRC-20)"]] as const) {
    await page.goto(`${s.url}?locale=${locale}`);
    await page.locator("#checkout-network").selectOption(String(TRON_CHOICE_CHAIN_ID));
    await page.locator("#checkout-currency").selectOption({ label: "USDT" });
    await expect(page.getByTestId("network-warning")).toContainText(text);
    await expect(page.getByTestId("payment-qr")).toHaveAttribute("data-payment-uri", /^T[1-9A-HJ-NP-Za-km-z]{33}$/);
  }
});

test("paying the shown Tron receiver on the Tron devnet: the page follows the payment to success", async ({ page, sessions, merchant }) => {
  const rpc = process.env.TOLLGATE_TEST_RPC_TRON;
  if (!rpc) throw new Error("TOLLGATE_TEST_RPC_TRON is not set: run through the harness");
  await db().insert(settlementAddresses).values({ merchantId: merchant.merchantId, network: "tron", livemode: false, address: hexToTron(privateKeyToAccount(generatePrivateKey()).address) });
  const s = await sessions.create({ amountUnits: "4", destination: "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed" });
  await page.goto(s.url);
  await page.getByLabel("Network").selectOption(String(TRON_CHOICE_CHAIN_ID));
  await page.getByLabel("Currency").selectOption({ label: "USDT" });
  await expect(page.getByTestId("payment-qr")).toHaveAttribute("data-payment-uri", /^T/);
  const receiver = (await page.getByTestId("pay-address").textContent())!;

  // a payer on the Tron devnet sends what the page asks for to the address it shows
  const payer = privateKeyToAccount(generatePrivateKey());
  await createTestClient({ mode: "anvil", transport: http(rpc) }).setBalance({ address: payer.address, value: parseEther("1") });
  await mintDevnetToken(rpc, DEVNET_TOKEN_ADDRESSES.USDT, payer.address, 4_000_000n);
  const wallet = createWalletClient({ account: payer, transport: http(rpc), chain: { id: DEVNET_TRON_CHAIN.chainId, name: "tron devnet", nativeCurrency: { name: "TRX", symbol: "TRX", decimals: 18 }, rpcUrls: { default: { http: [rpc] } } } });
  const hash = await wallet.writeContract({ address: DEVNET_TOKEN_ADDRESSES.USDT, abi: erc20Abi, functionName: "transfer", args: [tronToHex(receiver) as Address, 4_000_000n] });

  await expect(page.getByTestId("status-announcer")).toHaveText("Payment complete", { timeout: 45_000 });
  // the payer's transaction, named as Tron names it: the bare txID
  await expect(page.getByTestId("tx-hash").first()).toHaveText(hash.slice(2));
});
