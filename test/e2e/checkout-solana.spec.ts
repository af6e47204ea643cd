// Paying a session on Solana from the hosted checkout page: the payer picks Solana (only then does
// the page load the wallet adapter), a Wallet Standard test wallet injected into the page connects
// and signs with a devnet keypair, the transaction goes to the stack's Solana devnet, and the
// stack's worker sees it by its reference and finalizes the session — no forwarding: the
// merchant's own token account holds the money. The Solana Pay QR carries the same request.
import { getAssociatedTokenAddressSync } from "@solana/spl-token";
import { Connection, Keypair, PublicKey } from "@solana/web3.js";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { settlementAddresses, solanaPaymentRequests } from "@/db/schema";
import { db } from "@/lib/db/client";
import { DEVNET_SOLANA_MINTS, devnetSolanaWallets } from "@/lib/devnet/solana-constants";
import { eq } from "drizzle-orm";
import { expect, test } from "./helpers/fixtures";
import { installSolanaTestWallet } from "./helpers/solana-wallet";

test.describe.configure({ timeout: 120_000 });

const rpcUrl = () => {
  const v = process.env.TOLLGATE_TEST_RPC_SOLANA;
  if (!v) throw new Error("TOLLGATE_TEST_RPC_SOLANA is not set: run browser tests through the harness (npx tsx scripts/test.ts <spec>)");
  return v;
};

test("Solana: connect the injected wallet and pay; the session succeeds with the payer's transaction and the merchant holds the USDC", async ({ page, merchant, sessions }) => {
  const recipient = Keypair.generate().publicKey;
  await db().insert(settlementAddresses).values({ merchantId: merchant.merchantId, network: "solana", livemode: false, address: recipient.toBase58() });
  const s = await sessions.create({ amountUnits: "7.25", destination: privateKeyToAccount(generatePrivateKey()).address });
  const payer = devnetSolanaWallets()[0];
  const wallet = await installSolanaTestWallet(page, payer, rpcUrl());

  const scripts: string[] = [];
  page.on("request", (r) => { if (r.resourceType() === "script") scripts.push(r.url()); });
  await page.goto(s.url);
  await expect(page.getByText("Waiting for payment").first()).toBeVisible();
  await page.waitForLoadState("networkidle");
  const beforeSolana = scripts.length;
  await expect(page.getByTestId("solana-pay")).toHaveCount(0);

  await page.getByRole("button", { name: "Pay with a Solana wallet" }).click();
  const panel = page.getByTestId("solana-pay");
  await expect(panel).toBeVisible();
  // the wallet adapter arrived only now, in chunks of its own
  expect(scripts.length).toBeGreaterThan(beforeSolana);

  // the Solana Pay QR: same recipient, amount and mint, a reference of its own
  const qr = panel.getByTestId("payment-qr");
  await expect(qr).toHaveAttribute("data-payment-uri", new RegExp(`^solana:${recipient.toBase58()}\\?amount=7\\.25&spl-token=${DEVNET_SOLANA_MINTS.USDC}&reference=\\w+`));
  await expect(panel.getByText(`Pays 7.25 USDC on Solana straight to ${merchant.name}.`)).toBeVisible();

  await panel.getByRole("button", { name: "Connect wallet and pay" }).click();
  await expect(page.getByTestId("solana-sent")).toBeVisible({ timeout: 20_000 });
  await expect(page.getByRole("heading", { name: "Payment complete" })).toBeVisible({ timeout: 30_000 });

  // the wallet signed and sent one transaction: it is the session's delivery
  expect(wallet.calls).toEqual(["signAndSendTransaction"]);
  expect(wallet.sent).toHaveLength(1);
  const view = await sessions.get(s.sessionId);
  expect(view.status).toBe("succeeded");
  expect(view.destination.delivery).toMatchObject({ txHash: wallet.sent[0], receivedUnits: "7.25", chainName: "solana", status: "delivered" });
  expect(view.paymentMethod).toMatchObject({ type: "solana", source: { address: payer.publicKey.toBase58(), chainName: "solana", tokenSymbol: "USDC", sentUnits: "7.25" } });
  const conn = new Connection(rpcUrl(), "confirmed");
  const balance = await conn.getTokenAccountBalance(getAssociatedTokenAddressSync(new PublicKey(DEVNET_SOLANA_MINTS.USDC), recipient));
  expect(balance.value.amount).toBe("7250000");
  // two requests: the QR's (no wallet) and the one the wallet paid
  const requests = await db().select().from(solanaPaymentRequests).where(eq(solanaPaymentRequests.checkoutId, s.sessionId));
  expect(requests.map((r) => r.payer).sort()).toEqual([payer.publicKey.toBase58(), null].sort());
  expect((await sessions.eventTypes(s.sessionId)).sort()).toEqual(["session.processing", "session.succeeded"]);
});
