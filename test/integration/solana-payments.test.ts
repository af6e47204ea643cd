// Solana payments (API.md §1 type `solana`) end to end on the stack's Solana devnet (LiteSVM
// behind JSON-RPC) with the stack's worker watching: the transaction the API builds, signed with
// a test keypair and sent, makes the session succeed with the payer's transaction as delivery;
// a transfer a script builds from the Solana Pay URL does too; a wrong mint, a wrong recipient
// and native SOL never count; an underpayment waits for a top-up; references are never shared.
import {
  createAssociatedTokenAccountIdempotentInstruction, createInitializeMint2Instruction, createMintToInstruction,
  createTransferCheckedInstruction, getAssociatedTokenAddressSync, MINT_SIZE, TOKEN_PROGRAM_ID,
} from "@solana/spl-token";
import { Connection, Keypair, PublicKey, SystemProgram, Transaction, type TransactionInstruction } from "@solana/web3.js";
import { and, eq, inArray, sql } from "drizzle-orm";
import { describe, expect, inject, it } from "vitest";
import { checkouts, deposits, events, receivers, settlementAddresses, solanaPaymentRequests } from "@/db/schema";
import { solanaAssets } from "@/lib/chains/solana/assets";
import { buildTransferTx } from "@/lib/chains/solana/transfer-tx";
import { loadConfig } from "@/lib/config";
import { db } from "@/lib/db/client";
import { DEVNET_SOLANA_MINTS, devnetSolanaWallets } from "@/lib/devnet/solana-constants";
import { api, envelope, newMerchant, type TestMerchant } from "../helpers/api";

const USDC_EVM = "0x6D1A70703E4C7Cf35E2BE3B9DdED28401a915553";
const PAYEE = "0xd8dA6BF26964aF9D7eEd9e03E53415D37aA96045";
const USDC = DEVNET_SOLANA_MINTS.USDC;
const USDT = DEVNET_SOLANA_MINTS.USDT;

const conn = () => new Connection(inject("testEnv").rpcSolana, "confirmed");
// wallets 2–4 pay here (the checkout e2e spec uses wallet 0; wallet 1 is the demo merchant's)
const [, , payerA, payerB, payerC] = devnetSolanaWallets();

type Setup = { m: TestMerchant; recipient: PublicKey; session: any };

async function setup(amountUnits = "12.5"): Promise<Setup> {
  const m = await newMerchant();
  const recipient = Keypair.generate().publicKey;
  await db().insert(settlementAddresses).values({ merchantId: m.merchantId, network: "solana", livemode: false, address: recipient.toBase58() });
  const r = await api(m.key).post("/v1/sessions", {
    destination: { type: "evm", address: PAYEE, chainId: 31337, tokenAddress: USDC_EVM, amountUnits },
  });
  expect(r.status, r.text).toBe(201);
  return { m, recipient, session: r.json.session };
}

async function chooseSolana(session: any, payer: PublicKey, mint: string = USDC) {
  return api().post(`/v1/sessions/${session.sessionId}/paymentMethods`, {
    clientSecret: session.clientSecret, paymentMethod: { type: "solana", walletAddress: payer.toBase58(), inputTokenMint: mint },
  });
}

async function sendTx(tx: Transaction, signer: Keypair): Promise<string> {
  const c = conn();
  if (!tx.recentBlockhash) tx.recentBlockhash = (await c.getLatestBlockhash()).blockhash;
  tx.feePayer ??= signer.publicKey;
  tx.partialSign(signer);
  return c.sendRawTransaction(tx.serialize());
}

/** An SPL transferChecked carrying `reference`, as any wallet or script would send it. */
function splTransfer(payer: PublicKey, recipient: PublicKey, mint: PublicKey, amount: bigint, reference: PublicKey, decimals = 6): TransactionInstruction[] {
  const to = getAssociatedTokenAddressSync(mint, recipient);
  const ix = createTransferCheckedInstruction(getAssociatedTokenAddressSync(mint, payer), mint, to, payer, amount, decimals);
  ix.keys.push({ pubkey: reference, isSigner: false, isWritable: false });
  return [createAssociatedTokenAccountIdempotentInstruction(payer, to, recipient, mint), ix];
}

async function waitFinalized(signature: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { value } = await conn().getSignatureStatuses([signature]);
    if (value[0]?.confirmationStatus === "finalized") return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${signature} not finalized within ${timeoutMs} ms`);
}

async function getSession(key: string, id: string): Promise<any> {
  const r = await api(key).get(`/v1/sessions/${id}`);
  expect(r.status, r.text).toBe(200);
  return r.json.session;
}

async function waitStatus(key: string, id: string, status: string, timeoutMs = 20_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  let s: any;
  while (Date.now() < deadline) {
    s = await getSession(key, id);
    if (s.status === status) return s;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`session ${id} is ${s?.status}, not ${status}, after ${timeoutMs} ms`);
}

async function depositsOf(checkoutId: string) {
  return db().select().from(deposits).where(eq(deposits.checkoutId, checkoutId));
}

async function eventTypes(checkoutId: string): Promise<string[]> {
  const rows = await db().select({ type: events.type }).from(events).where(eq(events.objectId, checkoutId)).orderBy(events.createdAt);
  return rows.map((r) => r.type);
}

/** The watcher has had time to look at a finalized transaction: its polling interval is 1 s. */
const watcherPasses = () => new Promise((r) => setTimeout(r, 2500));

describe("Solana payments", () => {
  it("the transaction the API builds, signed by the payer's key, pays the session: succeeded with the payer's transaction as delivery", async () => {
    const { m, recipient, session } = await setup("12.5");
    const r = await chooseSolana(session, payerA.publicKey);
    expect(r.status, r.text).toBe(200);
    expect(r.json.session.status).toBe("waiting_payment");
    expect(r.json.session.paymentMethod).toMatchObject({ type: "solana" });
    expect(r.json.session.paymentMethod.receiverAddress).toBeUndefined();
    const { serializedTx, reference, recipient: to, payUrl } = r.json.solana;
    expect(serializedTx).toMatch(/^[0-9a-f]+$/);
    expect(to).toBe(recipient.toBase58());
    expect(payUrl).toBe(`solana:${recipient.toBase58()}?amount=12.5&spl-token=${USDC}&reference=${reference}&label=${encodeURIComponent(session.display.title)}`);

    // what the wallet is asked to sign: fee payer = payer; a fresh recipient gets its token account
    // created; transferChecked of 12.5 USDC with the reference as a read-only non-signer key
    const tx = Transaction.from(Buffer.from(serializedTx, "hex"));
    expect(tx.feePayer?.toBase58()).toBe(payerA.publicKey.toBase58());
    expect(tx.signatures.every((s) => s.signature === null)).toBe(true);
    expect(tx.instructions).toHaveLength(2);
    const transfer = tx.instructions[1];
    expect(transfer.programId.equals(TOKEN_PROGRAM_ID)).toBe(true);
    expect(transfer.data[0]).toBe(12); // TransferChecked
    expect(transfer.data.readBigUInt64LE(1)).toBe(12_500_000n);
    const ref = transfer.keys.find((k) => k.pubkey.toBase58() === reference);
    expect(ref).toMatchObject({ isSigner: false, isWritable: false });
    const [row] = await db().select().from(solanaPaymentRequests).where(eq(solanaPaymentRequests.reference, reference));
    expect(row).toMatchObject({ checkoutId: session.sessionId, recipient: recipient.toBase58(), mint: USDC, assetCode: "sUSDC", amount: 12_500_000n, payer: payerA.publicKey.toBase58() });

    const signature = await sendTx(tx, payerA);
    const done = await waitStatus(m.key, session.sessionId, "succeeded");
    expect(done.destination.delivery).toMatchObject({ txHash: signature, receivedUnits: "12.5", chainName: "solana", tokenSymbol: "USDC", status: "delivered" });
    expect(done.paymentMethod.source).toMatchObject({ address: payerA.publicKey.toBase58(), chainName: "solana", chainId: null, tokenAddress: USDC, tokenSymbol: "USDC", sentUnits: "12.5", txHash: signature });
    const [d] = await depositsOf(session.sessionId);
    expect(d).toMatchObject({ network: "solana", txHash: signature, status: "confirmed", assetCode: "sUSDC", amount: 12_500_000n, toAddress: recipient.toBase58(), tokenAddress: USDC });
    // the money is in the merchant's own token account: nothing to forward
    const balance = await conn().getTokenAccountBalance(getAssociatedTokenAddressSync(new PublicKey(USDC), recipient));
    expect(balance.value.amount).toBe("12500000");
    // one transaction may write both (seen already finalized): same created_at, so compare as sets
    expect((await eventTypes(session.sessionId)).sort()).toEqual(["session.processing", "session.succeeded"]);
    const depositEvents = await db().select({ type: events.type }).from(events).where(eq(events.objectId, d.id)).orderBy(events.createdAt);
    expect(depositEvents.map((e) => e.type).sort()).toEqual(["deposit.confirmed", "deposit.detected"]);
  });

  it("a transfer a script builds from the Solana Pay URL (USDT for a USDC session) pays it too", async () => {
    const { m, recipient, session } = await setup("3");
    const r = await chooseSolana(session, payerB.publicKey, USDT);
    expect(r.status, r.text).toBe(200);
    const url = new URL(r.json.solana.payUrl.replace(/^solana:/, "solana://x/"));
    expect(url.pathname.slice(1)).toBe(recipient.toBase58());
    const amount = BigInt(Number(url.searchParams.get("amount")) * 1e6);
    const ixs = splTransfer(payerB.publicKey, new PublicKey(url.pathname.slice(1)), new PublicKey(url.searchParams.get("spl-token")!), amount,
      new PublicKey(url.searchParams.get("reference")!));
    const signature = await sendTx(new Transaction().add(...ixs), payerB);
    const done = await waitStatus(m.key, session.sessionId, "succeeded");
    expect(done.destination.delivery).toMatchObject({ txHash: signature, receivedUnits: "3", chainName: "solana", tokenSymbol: "USDT", status: "delivered" });
  });

  it("ignores a transfer of the wrong mint and one to the wrong recipient; the right one then pays", async () => {
    const { m, recipient, session } = await setup("2");
    const r = await chooseSolana(session, payerC.publicKey);
    const reference = new PublicKey(r.json.solana.reference);

    // a token anyone can mint, sent to the right wallet with the reference
    const fake = Keypair.generate();
    const c = conn();
    const rent = await c.getMinimumBalanceForRentExemption(MINT_SIZE);
    const ata = getAssociatedTokenAddressSync(fake.publicKey, payerC.publicKey);
    const create = new Transaction().add(
      SystemProgram.createAccount({ fromPubkey: payerC.publicKey, newAccountPubkey: fake.publicKey, lamports: rent, space: MINT_SIZE, programId: TOKEN_PROGRAM_ID }),
      createInitializeMint2Instruction(fake.publicKey, 6, payerC.publicKey, null),
      createAssociatedTokenAccountIdempotentInstruction(payerC.publicKey, ata, payerC.publicKey, fake.publicKey),
      createMintToInstruction(fake.publicKey, ata, payerC.publicKey, 100_000_000n),
    );
    create.recentBlockhash = (await c.getLatestBlockhash()).blockhash;
    create.feePayer = payerC.publicKey;
    create.partialSign(fake);
    await sendTx(create, payerC);
    const wrongMint = await sendTx(new Transaction().add(...splTransfer(payerC.publicKey, recipient, fake.publicKey, 2_000_000n, reference)), payerC);
    // real USDC with the reference, to somebody else
    const wrongRecipient = await sendTx(new Transaction().add(...splTransfer(payerC.publicKey, Keypair.generate().publicKey, new PublicKey(USDC), 2_000_000n, reference)), payerC);
    await waitFinalized(wrongMint);
    await waitFinalized(wrongRecipient);
    await watcherPasses();
    expect((await getSession(m.key, session.sessionId)).status).toBe("waiting_payment");
    expect(await depositsOf(session.sessionId)).toEqual([]);
    // the watcher did look: the reference's signatures are there for it
    expect((await c.getSignaturesForAddress(reference)).map((s) => s.signature)).toEqual(expect.arrayContaining([wrongMint, wrongRecipient]));

    const right = await sendTx(new Transaction().add(...splTransfer(payerC.publicKey, recipient, new PublicKey(USDC), 2_000_000n, reference)), payerC);
    const done = await waitStatus(m.key, session.sessionId, "succeeded");
    expect(done.destination.delivery.txHash).toBe(right);
    expect((await depositsOf(session.sessionId)).map((d) => d.txHash)).toEqual([right]);
  });

  it("an underpayment keeps the session waiting with what remains; a new request asks for the rest and completes it", async () => {
    const { m, recipient, session } = await setup("10");
    const r = await chooseSolana(session, payerA.publicKey);
    const reference = new PublicKey(r.json.solana.reference);
    const first = await sendTx(new Transaction().add(...splTransfer(payerA.publicKey, recipient, new PublicKey(USDC), 4_000_000n, reference)), payerA);
    await waitFinalized(first);
    const deadline = Date.now() + 10_000;
    let s = await getSession(m.key, session.sessionId);
    while (s.paidUnits !== "4" && Date.now() < deadline) {
      await new Promise((res) => setTimeout(res, 250));
      s = await getSession(m.key, session.sessionId);
    }
    expect(s).toMatchObject({ status: "waiting_payment", paidUnits: "4", remainingUnits: "6" });
    await watcherPasses();
    expect((await depositsOf(session.sessionId))[0].status).toBe("confirmed");
    expect((await getSession(m.key, session.sessionId)).status).toBe("waiting_payment");
    expect(await eventTypes(session.sessionId)).toContain("session.underpaid");

    // choosing again asks for what remains, under a new reference; the first one stays watched
    const again = await chooseSolana(session, payerA.publicKey);
    expect(again.status, again.text).toBe(200);
    expect(again.json.solana.reference).not.toBe(reference.toBase58());
    expect(again.json.solana.payUrl).toContain("?amount=6&");
    const topUp = Transaction.from(Buffer.from(again.json.solana.serializedTx, "hex"));
    expect(topUp.instructions.at(-1)!.data.readBigUInt64LE(1)).toBe(6_000_000n);
    await sendTx(topUp, payerA);
    const done = await waitStatus(m.key, session.sessionId, "succeeded");
    // two requests, two receivers: two settlement groups, each the payer's own transfer to the merchant
    expect(done.deliveries.map((d: { receivedUnits: string; chainName: string; tokenSymbol: string; status: string }) =>
      [d.receivedUnits, d.chainName, d.tokenSymbol, d.status])).toEqual([["4", "solana", "USDC", "delivered"], ["6", "solana", "USDC", "delivered"]]);
    expect(done.destination.delivery).toEqual(done.deliveries[0]);
    expect(done.paidUnits).toBe("10");
  });

  it("never gives two sessions (or two requests) the same reference; the database refuses a duplicate", async () => {
    const { session: a } = await setup("1");
    const { m: mb, session: b } = await setup("1");
    const wallets = [payerA, payerB, payerC];
    const results = await Promise.all([...Array.from({ length: 6 }, (_, i) => chooseSolana(i % 2 ? a : b, wallets[i % 3].publicKey))]);
    for (const r of results) expect(r.status, r.text).toBe(200);
    const refs = results.map((r) => r.json.solana.reference);
    expect(new Set(refs).size).toBe(refs.length);
    // every request stays watched: a transaction the payer signed earlier still pays
    const rows = await db().select().from(receivers).where(and(eq(receivers.family, "solana"), inArray(receivers.address, refs)));
    expect(rows).toHaveLength(6);
    expect(rows.every((x) => x.watchUntil !== null && x.watchUntil.getTime() > Date.now())).toBe(true);

    const [row] = await db().select().from(solanaPaymentRequests).where(eq(solanaPaymentRequests.reference, refs[0]));
    const bRow = rows.find((x) => x.checkoutId === b.sessionId)!;
    const { rows: seq } = await db().execute<{ index: string }>(sql`select nextval('receiver_index_seq')::text as index`);
    const [spare] = await db().insert(receivers).values({ ...bRow, id: undefined, address: Keypair.generate().publicKey.toBase58(), derivationIndex: BigInt(seq[0].index) }).returning();
    await expect(db().insert(solanaPaymentRequests).values({ ...row, receiverId: spare.id, checkoutId: b.sessionId }))
      .rejects.toThrow();
    await expect(db().insert(receivers).values({ ...bRow, id: undefined, address: refs[0], derivationIndex: BigInt(seq[0].index) + 1_000_000n }))
      .rejects.toThrow();
    await db().delete(receivers).where(eq(receivers.id, spare.id));
    expect((await getSession(mb.key, b.sessionId)).status).toBe("waiting_payment");
  });

  it("native SOL: not offered for a stablecoin session (no price quote); a SOL transfer with the reference is recorded but does not count", async () => {
    const { m, recipient, session } = await setup("1");
    const refused = await chooseSolana(session, payerB.publicKey, "So11111111111111111111111111111111111111112");
    expect(refused.status, refused.text).toBe(400);
    expect(envelope(refused)).toMatchObject({ param: "paymentMethod.inputTokenMint", code: "token_not_supported" });
    expect(envelope(refused).message).toMatch(/price quote/);

    const r = await chooseSolana(session, payerB.publicKey);
    const reference = r.json.solana.reference;
    // the product's own SystemProgram.transfer builder, signed and sent
    const chain = loadConfig(JSON.parse(inject("testEnv").childEnvJson)).networks.find((c) => c.network === "solana" && !c.livemode)!;
    const sol = solanaAssets(chain).find((a) => a.mint === null)!;
    const hex = await buildTransferTx(conn(), { payer: payerB.publicKey.toBase58(), recipient: recipient.toBase58(), reference, asset: sol, amount: 50_000_000n });
    const tx = Transaction.from(Buffer.from(hex, "hex"));
    expect(tx.instructions[0].programId.equals(SystemProgram.programId)).toBe(true);
    const signature = await sendTx(tx, payerB);
    await waitFinalized(signature);
    const deadline = Date.now() + 10_000;
    let rows = await depositsOf(session.sessionId);
    while ((rows.length === 0 || rows[0].status !== "confirmed") && Date.now() < deadline) {
      await new Promise((res) => setTimeout(res, 250));
      rows = await depositsOf(session.sessionId);
    }
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ txHash: signature, assetCode: "SOL", tokenAddress: null, amount: 50_000_000n, logIndex: -1, status: "confirmed", fromAddress: payerB.publicKey.toBase58() });
    const s = await getSession(m.key, session.sessionId);
    expect(s).toMatchObject({ status: "waiting_payment", paidUnits: "0", remainingUnits: "1" });
    expect(s.paymentMethod.source).toMatchObject({ tokenSymbol: "SOL", sentUnits: "0.05", txHash: signature });
    expect(await conn().getBalance(recipient)).toBe(50_000_000);
  });

  it("a payment after expiry is recorded as late, never counted, and announced (references of finished sessions stay watched)", async () => {
    const { m, recipient, session } = await setup("1");
    const r = await chooseSolana(session, payerA.publicKey);
    const reference = new PublicKey(r.json.solana.reference);
    await db().update(checkouts).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(checkouts.id, session.sessionId));
    await waitStatus(m.key, session.sessionId, "expired");
    const signature = await sendTx(new Transaction().add(...splTransfer(payerA.publicKey, recipient, new PublicKey(USDC), 1_000_000n, reference)), payerA);
    // a finished session's references stay matched (the merchant's account is read every pass)
    const deadline = Date.now() + 45_000;
    let rows = await depositsOf(session.sessionId);
    while ((rows.length === 0 || rows[0].status !== "confirmed") && Date.now() < deadline) {
      await new Promise((res) => setTimeout(res, 500));
      rows = await depositsOf(session.sessionId);
    }
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ txHash: signature, late: true, status: "confirmed", amount: 1_000_000n });
    const s = await getSession(m.key, session.sessionId);
    expect(s.status).toBe("expired");
    expect(s.destination.delivery).toBeUndefined();
    expect(await eventTypes(session.sessionId)).toEqual(["session.expired", "session.late_payment"]);
  }, 60_000);

  it("PUT /check looks at the session's references now, with or without the signature", async () => {
    const { m, session } = await setup("2");
    const r = await chooseSolana(session, payerB.publicKey);
    const signature = await sendTx(Transaction.from(Buffer.from(r.json.solana.serializedTx, "hex")), payerB);
    // asked at once (the worker polls every second): the check itself records the payment
    const checked = await api().put(`/v1/sessions/${session.sessionId}/check`, { clientSecret: session.clientSecret, txHash: signature });
    expect(checked.status, checked.text).toBe(200);
    expect(["processing", "succeeded"]).toContain(checked.json.session.status);
    expect(checked.json.session.paymentMethod.source.txHash).toBe(signature);
    await waitFinalized(signature);
    const again = await api(m.key).put(`/v1/sessions/${session.sessionId}/check`, {});
    expect(again.status, again.text).toBe(200);
    expect(again.json.session.status).toBe("succeeded");
    expect(again.json.session.destination.delivery.txHash).toBe(signature);
    expect((await api().put(`/v1/sessions/${session.sessionId}/check`, { clientSecret: session.clientSecret, txHash: "0OIl" + signature.slice(4) })).status).toBe(400);
  });

  it("refuses a mint this instance does not accept, and a merchant without a Solana wallet", async () => {
    const { session } = await setup("1");
    const bad = await chooseSolana(session, payerA.publicKey, Keypair.generate().publicKey.toBase58());
    expect(bad.status, bad.text).toBe(400);
    expect(envelope(bad)).toMatchObject({ param: "paymentMethod.inputTokenMint", code: "token_not_supported" });
    expect(envelope(bad).message).toContain(USDC);

    const m = await newMerchant();
    const r = await api(m.key).post("/v1/sessions", { destination: { type: "evm", address: PAYEE, chainId: 31337, tokenAddress: USDC_EVM, amountUnits: "1" } });
    const none = await chooseSolana(r.json.session, payerA.publicKey);
    expect(none.status, none.text).toBe(422);
    expect(envelope(none)).toMatchObject({ code: "settlement_address_missing" });
    expect((await getSession(m.key, r.json.session.sessionId)).status).toBe("requires_payment_method");
  });
});
