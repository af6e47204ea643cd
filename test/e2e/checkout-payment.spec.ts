// Paying a session on the devnet from the hosted checkout page (issue 3 item 8, browser test):
// the API creates the session, the payer chooses in Chromium, the test pays on the real chain —
// by a plain transfer from its own account, or through an injected test wallet that signs in the
// page — and the real watcher, evaluation and forwarding in the stack's worker carry the session
// to succeeded (or bounced). Nothing of ours is mocked; only external merchant URLs are stubbed.
import { eq } from "drizzle-orm";
import { getAddress, zeroAddress, type Address } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { checkouts } from "@/db/schema";
import { db } from "@/lib/db/client";
import { balanceOf, client, transfersIn } from "./helpers/chain";
import { checkoutRow, expect, test, type Session } from "./helpers/fixtures";
import { inOrder, readInstructions, recordAnnouncements, watchSessionCalls } from "./helpers/page";
import { installTestWallet } from "./helpers/wallet";
import { holdForwarding } from "./helpers/worker";
import { CHAINS, USDC, USDT } from "./helpers/stack";
import { checkLayout } from "./helpers/layout";

const ETHEREUM = CHAINS.ethereum.chainId;
const POLYGON = CHAINS.polygon.chainId;
const SUCCESS_URL = "https://merchant.example/thanks?order=1042";
// detection (1 s blocks) + confirmation + a forwarding pass (every 2 s) funding gas and forwarding
const SETTLED = { timeout: 90_000 };

const WAITING = "Waiting for payment";
const UNDERPAID = "Partial payment received";
const PROCESSING = "Payment detected, confirming…";
const SUCCEEDED = "Payment complete";
const BOUNCED = "Payment returned";

const freshAddress = (): Address => privateKeyToAccount(generatePrivateKey()).address;

test.describe.configure({ timeout: 180_000 });

/** After success: the destination holds the amount, the API reports the forward, the events tell the story. */
async function expectForwarded(sessions: { get(id: string): Promise<Session>; eventTypes(id: string): Promise<string[]> },
  s: Session, destination: Address, units: bigint, receiver: Address) {
  await expect.poll(() => balanceOf("ethereum", "USDC", destination)).toBe(units);
  expect(await balanceOf("ethereum", "USDC", receiver)).toBe(0n);
  const view = await sessions.get(s.sessionId);
  expect(view.status).toBe("succeeded");
  expect(view.destination.delivery.receivedUnits).toBe(s.destination.amountUnits);
  // the delivery is the receiver's transfer of everything it got to the destination (a batch sweep's
  // transaction may carry other receivers' transfers beside it: only this receiver's count)
  const forward = await client("ethereum").getTransactionReceipt({ hash: view.destination.delivery.txHash });
  expect(forward.status).toBe("success");
  const mine = transfersIn(forward).filter((t) => t.from.toLowerCase() === receiver.toLowerCase());
  expect(mine).toEqual([{ token: USDC.toLowerCase(), from: receiver, to: destination, value: units }]);
  return view;
}

test("plain transfer: the payer chooses USDC on Ethereum, the test sends it, the page shows success and the destination holds it", async ({ page, sessions, payer, baseURL }) => {
  const destination = freshAddress();
  const [p, s] = await Promise.all([payer({ ethereum: { USDC: 100_000_000n } }), sessions.create({ amountUnits: "25.5", destination })]);
  expect(s.url).toBe(`${baseURL}/checkout/${s.sessionId}`);
  const announced = await recordAnnouncements(page);
  const calls = watchSessionCalls(page, s.sessionId);
  await page.goto(s.url);

  // the payer looks at Polygon · USDT first, then settles on Ethereum · USDC
  await page.getByLabel("Network").selectOption(String(POLYGON));
  await page.getByLabel("Currency").selectOption({ label: "USDT" });
  await readInstructions(page, { chainId: POLYGON, token: USDT, amountText: "25.50 USDT" });
  await page.getByLabel("Network").selectOption(String(ETHEREUM));
  await page.getByLabel("Currency").selectOption({ label: "USDC" });
  const pay = await readInstructions(page, { chainId: ETHEREUM, token: USDC, amountText: "25.50 USDC" });
  expect(pay.units).toBe(25_500_000n);
  await expect(page.getByText("Send exactly 25.50 USDC on Ethereum to this address.")).toBeVisible();
  // every choice went to the real server, which issued one deposit address and recorded the last choice
  const chosen = calls.filter((c) => c.method === "POST" && c.path === "/paymentMethods").map((c) => c.body.paymentMethod);
  expect(chosen.at(-1)).toEqual({ type: "evm", chainId: ETHEREUM, tokenAddress: USDC });
  expect(chosen).toContainEqual({ type: "evm", chainId: POLYGON, tokenAddress: USDT });
  await expect.poll(async () => (await checkoutRow(s.sessionId)).paymentMethodChainId).toBe(ETHEREUM);
  const row = await checkoutRow(s.sessionId);
  expect(getAddress(row.paymentMethodReceiverAddress!)).toBe(pay.receiver);
  expect(getAddress(row.paymentMethodTokenAddress!)).toBe(USDC);

  // While the payment is seen but not yet forwarded the page says so. Forwarding follows within
  // seconds; holding the worker's forwarding lease keeps the session in processing until the page
  // has been looked at.
  // no receipt before it is paid
  const early = await page.request.get(`/checkout/${s.sessionId}/receipt`);
  expect(early.status()).toBe(200);
  expect(await early.text()).toContain("This payment is not complete yet");
  const hold = await holdForwarding("ethereum");
  let receipt: Awaited<ReturnType<typeof p.transfer>>;
  try {
    receipt = await p.transfer("ethereum", "USDC", pay.receiver, pay.units);
    expect(receipt.status).toBe("success");
    const processing = page.getByTestId("status-processing");
    await expect(processing).toContainText(PROCESSING, { timeout: 30_000 });
    await expect(processing.getByTestId("tx-hash")).toHaveText(receipt.transactionHash);
    await expect(page.getByTestId("status-announcer")).toHaveText(PROCESSING);
    await expect(page.getByTestId("payment-qr")).toHaveCount(0);
    await expect(page.getByTestId("countdown")).toHaveCount(0);
    await expect(page.getByTestId("amount")).toHaveText("25.50 USDC");
    expect(await sessions.get(s.sessionId)).toMatchObject({ status: "processing", paidUnits: "25.5", remainingUnits: "0" });
  } finally {
    await hold.release();
  }

  const done = page.getByTestId("status-succeeded");
  await expect(done).toContainText(SUCCEEDED, SETTLED);
  await expect(done).toContainText("Thank you. Blue Harbor Coffee has received your payment.");
  // the payer's own transaction; the devnet has no public explorer, so the hash is not a link
  await expect(done.getByTestId("tx-hash")).toHaveText(receipt.transactionHash);
  await expect(done.getByRole("link", { name: /View on explorer/ })).toHaveCount(0);
  await expect(page.getByTestId("status-announcer")).toHaveText(SUCCEEDED);
  await expect(page.getByTestId("payment-qr")).toHaveCount(0);
  await expect(page.getByTestId("countdown")).toHaveCount(0);
  await expect(page.getByTestId("return-to-merchant")).toHaveCount(0); // no successUrl: nowhere to go back to

  await expectForwarded(sessions, s, destination, 25_500_000n, pay.receiver);
  expect(await sessions.eventTypes(s.sessionId)).toEqual(["session.processing", "session.succeeded"]);
  // what the live region said, each once, in order
  expect(await announced()).toEqual([WAITING, PROCESSING, SUCCEEDED]);

  // the payer's printable receipt: what was paid, to whom, and the payer's own transaction
  await done.getByTestId("view-receipt").click();
  const paper = page.getByTestId("receipt");
  await expect(paper.getByTestId("receipt-amount")).toHaveText("25.50 USDC");
  await expect(paper).toContainText("Blue Harbor Coffee");
  await expect(paper.getByTestId("tx-hash")).toHaveText(receipt.transactionHash);
  await expect(paper).toContainText("25.50 USDC · Ethereum (test)");
  await expect(paper).not.toContainText(destination); // nothing of the merchant's settlement
  await checkLayout(page, undefined, "receipt");
});

test("browser wallet: an injected EIP-1193 wallet connects, switches to the devnet chain, signs the transfer; the page shows success", async ({ page, request, sessions, payer }) => {
  const destination = freshAddress();
  const [p, s] = await Promise.all([payer({ ethereum: { USDC: 100_000_000n } }), sessions.create({ amountUnits: "25.5", destination })]);
  const wallet = await installTestWallet(page, p.account); // on mainnet (chain 1) until the page asks it to switch
  const calls = watchSessionCalls(page, s.sessionId);
  await page.goto(s.url);
  const pay = await readInstructions(page, { chainId: ETHEREUM, token: USDC, amountText: "25.50 USDC" });

  const button = page.getByTestId("wallet-button");
  await expect(button).toHaveText("Pay with browser wallet");
  await button.click();
  await expect(page.getByTestId("wallet-account")).toHaveText(`Wallet ${p.address.slice(0, 6)}…${p.address.slice(-4)}`);
  // the balance is read from the devnet by the real tokenOptions endpoint
  await expect(page.getByTestId("wallet-balance")).toHaveText("Balance on Ethereum: 100.00 USDC");
  const options = calls.find((c) => c.path.startsWith("/tokenOptions"));
  expect(options?.method).toBe("GET");
  await expect(button).toHaveText("Pay 25.50 USDC");
  await button.click();

  // the wallet sent exactly one transaction; the page shows it — as "sent", or already in the
  // success panel when the devnet settles before the next look (a 1 s block, a fast worker)
  await expect.poll(() => wallet.sent.length).toBe(1);
  const txHash = wallet.sent[0] as `0x${string}`;
  await expect(page.getByTestId("wallet-sent").or(page.getByTestId("status-succeeded")).getByText(txHash).first()).toBeVisible();
  expect(wallet.chainId()).toBe(ETHEREUM);
  const methods = wallet.calls.map((c) => c.method);
  expect(methods).toContain("wallet_switchEthereumChain");
  expect(methods.indexOf("wallet_switchEthereumChain")).toBeLessThan(methods.indexOf("eth_sendTransaction"));

  // signed by the payer's key, mined, exactly transfer(receiver, amount) of USDC
  const receipt = await client("ethereum").waitForTransactionReceipt({ hash: txHash, pollingInterval: 100 });
  expect(receipt.status).toBe("success");
  expect(getAddress(receipt.from)).toBe(p.address);
  expect(transfersIn(receipt)).toEqual([{ token: USDC.toLowerCase(), from: p.address, to: pay.receiver, value: 25_500_000n }]);
  // the page asked the server to look at the transaction at once
  await expect.poll(() => calls.filter((c) => c.method === "PUT" && c.path === "/check").map((c) => c.body))
    .toContainEqual({ clientSecret: s.clientSecret, txHash });
  // the same call once the transaction is mined: its answer (which the page shows at once) names the payment
  const checked = await request.put(`/v1/sessions/${s.sessionId}/check`, { data: { clientSecret: s.clientSecret, txHash } });
  expect(checked.status(), await checked.text()).toBe(200);
  expect((await checked.json()).session).toMatchObject({
    paidUnits: "25.5", remainingUnits: "0", paymentMethod: { receiverAddress: pay.receiver, source: { address: p.address, txHash, sentUnits: "25.5" } },
  });

  const done = page.getByTestId("status-succeeded");
  await expect(done).toContainText(SUCCEEDED, SETTLED);
  await expect(done.getByTestId("tx-hash")).toHaveText(txHash);
  await expect(page.getByTestId("status-announcer")).toHaveText(SUCCEEDED);
  await expectForwarded(sessions, s, destination, 25_500_000n, pay.receiver);
  expect(await balanceOf("ethereum", "USDC", p.address)).toBe(100_000_000n - 25_500_000n);
  expect(await sessions.eventTypes(s.sessionId)).toEqual(["session.processing", "session.succeeded"]);
});

test("underpay, then top up: the page shows paid and remaining, asks for the rest, then succeeds", async ({ page, sessions, payer, request }) => {
  const destination = freshAddress();
  const [p, s] = await Promise.all([payer({ ethereum: { USDC: 100_000_000n } }), sessions.create({ amountUnits: "40", destination })]);
  const announced = await recordAnnouncements(page);
  await page.goto(s.url);
  const first = await readInstructions(page, { chainId: ETHEREUM, token: USDC, amountText: "40.00 USDC" });
  expect(first.units).toBe(40_000_000n);

  // 15 of 40 on chain
  const part = await p.transfer("ethereum", "USDC", first.receiver, 15_000_000n);
  expect(part.status).toBe("success");
  const underpaid = page.getByTestId("status-underpaid");
  await expect(underpaid).toContainText(UNDERPAID, { timeout: 30_000 });
  await expect(page.getByTestId("paid-units")).toHaveText("15.00 USDC");
  await expect(page.getByTestId("remaining-units")).toHaveText("25.00 USDC");
  await expect(page.getByTestId("status-announcer")).toHaveText(UNDERPAID);
  // the payment received, with its confirmations from the network's depth and the watcher's head
  const progress = page.getByTestId("deposit-progress");
  await expect(progress).toHaveCount(1);
  await expect(progress).toContainText("15.00 USDC · Ethereum");
  await expect(progress.getByTestId("confirmations")).toHaveText(/^(Confirmed|\d+ of \d+ confirmations)$/);
  await expect(progress).toHaveAttribute("data-status", "confirmed");
  await expect(progress.getByTestId("confirmations")).toHaveText("Confirmed");
  await checkLayout(page, process.env.UX_SHOTS, "checkout-progress");
  // the QR and the amount to copy now ask for what remains, at the same address
  const rest = await readInstructions(page, { chainId: ETHEREUM, token: USDC, amountText: "25.00 USDC" });
  expect(rest).toEqual({ ...first, units: 25_000_000n });
  await expect(page.getByText("Send the remaining 25.00 USDC on Ethereum to this address.")).toBeVisible();
  await expect(page.getByTestId("countdown")).toBeVisible();
  const view = await sessions.get(s.sessionId);
  expect(view).toMatchObject({ status: "waiting_payment", paidUnits: "15", remainingUnits: "25" });
  expect(view.paymentMethod.source).toMatchObject({ address: p.address, txHash: part.transactionHash, sentUnits: "15" });

  // a reload (or a page served before any script runs) shows the same progress
  const html = await (await request.get(new URL(s.url).pathname)).text();
  expect(html).toContain('data-testid="status-underpaid"');
  await page.reload();
  await expect(page.getByTestId("remaining-units")).toHaveText("25.00 USDC");
  await readInstructions(page, { chainId: ETHEREUM, token: USDC, amountText: "25.00 USDC" });

  const topUp = await p.transfer("ethereum", "USDC", rest.receiver, rest.units);
  expect(topUp.status).toBe("success");
  const done = page.getByTestId("status-succeeded");
  await expect(done).toContainText(SUCCEEDED, SETTLED);
  await expect(done.getByTestId("tx-hash")).toHaveText(part.transactionHash); // the payment's first transaction names the payer
  await expect(page.getByTestId("status-underpaid")).toHaveCount(0);
  await expectForwarded(sessions, s, destination, 40_000_000n, first.receiver);
  expect(await sessions.eventTypes(s.sessionId)).toEqual(["session.underpaid", "session.processing", "session.succeeded"]);
  const said = await announced();
  expect(said).toContain(UNDERPAID);
  expect(said.at(-1)).toBe(SUCCEEDED);
  expect(inOrder(said, [WAITING, UNDERPAID, PROCESSING, SUCCEEDED]), said.join(" → ")).toBe(true);
});

test("after success the page takes the payer back to the merchant's successUrl", async ({ page, sessions, payer }) => {
  await page.route("https://merchant.example/**", (r) => r.fulfill({ contentType: "text/html", body: "<title>Thanks</title><h1>Back at the shop</h1>" }));
  const destination = freshAddress();
  const [p, s] = await Promise.all([
    payer({ ethereum: { USDC: 10_000_000n } }),
    sessions.create({ amountUnits: "7.25", destination, successUrl: SUCCESS_URL, cancelUrl: "https://merchant.example/cart" }),
  ]);
  await page.goto(s.url);
  const pay = await readInstructions(page, { chainId: ETHEREUM, token: USDC, amountText: "7.25 USDC" });
  await expect(page.getByRole("link", { name: "Cancel and return to Blue Harbor Coffee" })).toHaveAttribute("href", "https://merchant.example/cart");
  expect((await p.transfer("ethereum", "USDC", pay.receiver, pay.units)).status).toBe("success");

  const done = page.getByTestId("status-succeeded");
  await expect(done).toContainText(SUCCEEDED, SETTLED);
  await expect(page.getByTestId("return-to-merchant")).toHaveAttribute("href", SUCCESS_URL);
  await expect(done).toContainText(/Taking you back in \d s…/);
  await page.waitForURL(SUCCESS_URL, { timeout: 10_000 });
  await expect(page.getByRole("heading", { name: "Back at the shop" })).toBeVisible();
  expect(await balanceOf("ethereum", "USDC", destination)).toBe(7_250_000n);
});

test("a session paid before the page opens shows success, and the payer can stay instead of being redirected", async ({ page, request, sessions, payer }) => {
  const destination = freshAddress();
  const [p, s] = await Promise.all([payer({ ethereum: { USDC: 10_000_000n } }), sessions.create({ amountUnits: "3", destination, successUrl: SUCCESS_URL })]);
  // a payer paying from another device: the address comes from the real paymentMethods endpoint
  const chosen = await request.post(`/v1/sessions/${s.sessionId}/paymentMethods`, {
    data: { clientSecret: s.clientSecret, paymentMethod: { type: "evm", chainId: ETHEREUM, tokenAddress: USDC } },
  });
  expect(chosen.status(), await chosen.text()).toBe(200);
  const receiver = getAddress((await chosen.json()).session.paymentMethod.receiverAddress);
  const receipt = await p.transfer("ethereum", "USDC", receiver, 3_000_000n);
  await expect.poll(async () => (await sessions.get(s.sessionId)).status, SETTLED).toBe("succeeded");

  await page.goto(s.url);
  const done = page.getByTestId("status-succeeded");
  await expect(done).toContainText(SUCCEEDED);
  await expect(done.getByTestId("tx-hash")).toHaveText(receipt.transactionHash);
  await page.getByRole("button", { name: "Stay on this page" }).click();
  await page.waitForTimeout(4_000);
  expect(page.url()).toBe(s.url);
  await expect(page.getByRole("link", { name: "Return to Blue Harbor Coffee" })).toHaveAttribute("href", SUCCESS_URL);
  expect(await balanceOf("ethereum", "USDC", destination)).toBe(3_000_000n);
});

test("a payment the destination refuses goes back to the refund address and the page says so", async ({ page, sessions, payer }) => {
  const refund = freshAddress();
  const [p, s] = await Promise.all([
    payer({ ethereum: { USDC: 10_000_000n } }),
    sessions.create({ amountUnits: "5", destination: freshAddress(), refundAddress: refund }),
  ]);
  // A destination the token refuses (the devnet token reverts transfers to the zero address, as USDC
  // does for a blacklisted one). The API rightly rejects such a destination at create, so it is set
  // on the row, as test/integration/forwarding.test.ts does; the revert, the refund and the bounce
  // are the worker's, on the real chain.
  await db().update(checkouts).set({ destinationAddress: zeroAddress }).where(eq(checkouts.id, s.sessionId));
  await page.goto(s.url);
  const pay = await readInstructions(page, { chainId: ETHEREUM, token: USDC, amountText: "5.00 USDC" });
  const receipt = await p.transfer("ethereum", "USDC", pay.receiver, pay.units);
  expect(receipt.status).toBe("success");

  const panel = page.getByTestId("status-bounced");
  await expect(panel).toContainText(BOUNCED, SETTLED);
  await expect(panel).toContainText(`Your payment couldn't be delivered to Blue Harbor Coffee and was sent back to ${refund}.`);
  await expect(page.getByTestId("status-announcer")).toHaveText(BOUNCED);
  const view = await sessions.get(s.sessionId);
  expect(view.status).toBe("bounced");
  await expect(panel.getByTestId("tx")).toContainText("Refund transaction");
  await expect(panel.getByTestId("tx-hash")).toHaveText(view.destination.delivery.txHash);
  // the refund is real: the receiver sent everything it got to the refund address
  const refundReceipt = await client("ethereum").getTransactionReceipt({ hash: view.destination.delivery.txHash });
  expect(transfersIn(refundReceipt)).toEqual([{ token: USDC.toLowerCase(), from: pay.receiver, to: refund, value: 5_000_000n }]);
  expect(await balanceOf("ethereum", "USDC", refund)).toBe(5_000_000n);
  expect(await balanceOf("ethereum", "USDC", pay.receiver)).toBe(0n);
  expect(await sessions.eventTypes(s.sessionId)).toEqual(["session.processing", "session.bounced"]);
});
