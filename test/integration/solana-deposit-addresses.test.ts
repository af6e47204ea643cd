// Solana deposit addresses and withdrawals (issue 16 item 2) on the stack's Solana devnet, driven by
// the stack's own worker: addresses from seed 001 (address/new), seed 000 (/wallet/address) and
// seed 002 (deposit_address/create) for SOL, sUSDC and sUSDT at m/44'/501'/i'/0'; transfers from an
// independent client (web3.js + spl-token) credited once by the watcher's block scan; sweeps with
// the hot wallet paying the fee and the deposit's token account closed (its rent back to the hot
// wallet); payouts to fresh wallets with their signatures, one of them signed and recorded but not
// broadcast (a crash) and then sent from the stored bytes once; balances that match the ledger.
import {
  createAssociatedTokenAccountIdempotentInstruction, createTransferCheckedInstruction, getAssociatedTokenAddressSync,
} from "@solana/spl-token";
import { Connection, Keypair, PublicKey, SystemProgram, Transaction, type TransactionInstruction } from "@solana/web3.js";
import { eq, inArray } from "drizzle-orm";
import { describe, expect, inject, it } from "vitest";
import { checkouts, deposits, networkStatus, outboundTxs, receivers, settlementAddresses, settlementGroups, solanaCursors, withdrawals } from "@/db/schema";
import { solanaAddressAt } from "@/lib/chains/solana/keys";
import { loadConfig } from "@/lib/config";
import { db } from "@/lib/db/client";
import { DEVNET_SOLANA_MINTS, devnetSolanaWallets } from "@/lib/devnet/solana-constants";
import { withdrawalLease, withdrawalTick } from "@/lib/withdrawals/tick";
import { Leases } from "@/lib/worker/leases";
import { api, newMerchant } from "../helpers/api";
import { setStandInPrices } from "../setup/rate-stand-in";
import { mnemonic } from "./helpers/forwarding-fixtures";

const conn = new Connection(inject("testEnv").rpcSolana, "confirmed");
const payer = devnetSolanaWallets()[3];
const USDC = new PublicKey(DEVNET_SOLANA_MINTS.USDC);
const USDT = new PublicKey(DEVNET_SOLANA_MINTS.USDT);
const hot = new PublicKey(solanaAddressAt(mnemonic, 0));

async function until<T>(what: string, f: () => Promise<T | null | undefined | false>, timeoutMs = 40_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

async function send(...ixs: TransactionInstruction[]): Promise<string> {
  const tx = new Transaction().add(...ixs);
  tx.recentBlockhash = (await conn.getLatestBlockhash()).blockhash;
  tx.feePayer = payer.publicKey;
  tx.sign(payer);
  return conn.sendRawTransaction(tx.serialize());
}

/** A token transfer as a wallet sends one: to the owner's associated token account, created by the payer when missing. */
function tokenTransfer(mint: PublicKey, owner: string, amount: bigint): TransactionInstruction[] {
  const to = getAssociatedTokenAddressSync(mint, new PublicKey(owner));
  return [
    createAssociatedTokenAccountIdempotentInstruction(payer.publicKey, to, new PublicKey(owner), mint),
    createTransferCheckedInstruction(getAssociatedTokenAddressSync(mint, payer.publicKey), mint, to, payer.publicKey, amount, 6),
  ];
}

async function tokenUnits(mint: PublicKey, owner: PublicKey): Promise<bigint> {
  const account = getAssociatedTokenAddressSync(mint, owner, true);
  if (!(await conn.getAccountInfo(account))) return 0n;
  return BigInt((await conn.getTokenAccountBalance(account)).value.amount);
}

const withdrawalOf = async (id: bigint) => (await db().select().from(withdrawals).where(eq(withdrawals.id, id)))[0];

describe("Solana deposit addresses", () => {
  it("are handed out by every dialect, credited once, swept with their token account closed, and paid out", async () => {
    const m = await newMerchant();
    const a = api(m.key);

    // seed 001: a new address per call; SOL and both stablecoins, base58 keys of ours
    const solAddr = await a.post("/v1/address/new", { user_id: "sol-1", currency: "SOL" });
    expect(solAddr.status, solAddr.text).toBe(200);
    const usdcAddr = await a.post("/v1/address/new", { user_id: "sol-1", currency: "sUSDC" });
    expect(usdcAddr.status, usdcAddr.text).toBe(200);
    const A = solAddr.json.address as string;
    const B = usdcAddr.json.address as string;
    expect(new Set([A, B, hot.toBase58()]).size).toBe(3);
    // each is the mnemonic's m/44'/501'/i'/0' at its receiver's index
    const rows = await db().select().from(receivers).where(inArray(receivers.address, [A, B]));
    for (const r of rows) expect(solanaAddressAt(mnemonic, r.derivationIndex)).toBe(r.address);
    expect(rows.map((r) => r.family)).toEqual(["solana", "solana"]);

    // seed 000: the same address back for the same customer and currency
    const h = { "x-api-key": m.key };
    const c1 = await api().post("/wallet/address", { customerId: "c-1", currency: "sUSDT" }, h);
    expect(c1.status, c1.text).toBe(200);
    expect((await api().post("/wallet/address", { customerId: "c-1", currency: "sUSDT" }, h)).json.data.address).toBe(c1.json.data.address);
    const C = c1.json.data.address as string;
    expect(new PublicKey(C).toBase58()).toBe(C);

    // seed 002: sol, usdc and usdt on the "sol" network, listed back
    const v2: string[] = [];
    for (const currency of ["sol", "usdc", "usdt"]) {
      const r = await api().post("/v2/deposit_address/create", { currency, network: "sol" }, { "Api-key": m.key });
      expect(r.status, r.text).toBe(200);
      expect(r.json.data).toMatchObject({ currency, network: "sol", address: expect.stringMatching(/^[1-9A-HJ-NP-Za-km-z]{32,44}$/) });
      v2.push(r.json.data.address);
    }
    const listed = await api().post("/v2/deposit_address/list", { network: "sol" }, { "Api-key": m.key });
    expect(listed.json.data.map((d: { address: string }) => d.address)).toEqual(expect.arrayContaining(v2));
    expect((await a.get("/v1/address/all?user_id=sol-1")).json).toMatchObject({ addresses: [{ address: A, currency: "SOL" }, { address: B, currency: "sUSDC" }] });

    // an independent client pays them
    const solSig = await send(SystemProgram.transfer({ fromPubkey: payer.publicKey, toPubkey: new PublicKey(A), lamports: 50_000_000 }));
    const usdcSig = await send(...tokenTransfer(USDC, B, 2_500_000n));
    const usdtSig = await send(...tokenTransfer(USDT, C, 1_000_000n));

    const available = async (code: string) => {
      const r = await a.get("/v1/balances");
      return BigInt((r.json.data as { code: string; available: string }[]).find((b) => b.code === code)?.available ?? "0");
    };
    await until("the three deposits available", async () =>
      (await available("SOL")) === 50_000_000n && (await available("sUSDC")) === 2_500_000n && (await available("sUSDT")) === 1_000_000n).catch(async (e) => {
      console.log("state when the deposits were not credited:", await db().select().from(networkStatus), await db().select().from(deposits).where(inArray(deposits.txHash, [solSig, usdcSig, usdtSig])), await db().select().from(solanaCursors));
      throw e;
    });
    const history = await a.get("/v1/deposit/history?user_id=sol-1&currency=SOL&limit=10&offset=0&sort_order=desc");
    expect(history.json.incomes).toEqual([expect.objectContaining({ deposit_address: A, amount: "50000000", tx_hash: solSig, source_address: payer.publicKey.toBase58() })]);
    const income = await a.get(`/v1/deposit/income?tx_hash=${usdcSig}`);
    expect(income.status, income.text).toBe(200);
    expect(income.json).toMatchObject({ currency: "sUSDC", income: { deposit_address: B, amount: "2500000", tx_hash: usdcSig } });
    expect((await a.get("/v1/income?user_id=sol-1")).json.total_income).toEqual([
      { deposit_address: A, amount: "50000000", currency: "SOL" },
      { deposit_address: B, amount: "2500000", currency: "sUSDC" },
    ]);
    // credited once each, and final
    const credited = await db().select().from(deposits).where(inArray(deposits.txHash, [solSig, usdcSig, usdtSig]));
    expect(credited.map((d) => [d.txHash, d.assetCode, d.amount, d.status, d.checkoutId]).sort()).toEqual([
      [solSig, "SOL", 50_000_000n, "confirmed", null], [usdcSig, "sUSDC", 2_500_000n, "confirmed", null], [usdtSig, "sUSDT", 1_000_000n, "confirmed", null],
    ].sort());

    // sweeps (seed 001 withdrawal/service): the hot wallet pays the fees; the token account is closed, its rent back to the hot wallet
    const usdcAta = getAssociatedTokenAddressSync(USDC, new PublicKey(B));
    expect(await conn.getAccountInfo(usdcAta)).not.toBeNull();
    const hotUsdcBefore = await tokenUnits(USDC, hot);
    const memos: string[] = [];
    for (const [from, currency] of [[A, "SOL"], [B, "sUSDC"]]) {
      const r = await a.post("/v1/withdrawal/service", { from, currency });
      expect(r.status, r.text).toBe(200);
      memos.push(r.json.memo);
    }
    const sweeps = await until("both sweeps processed", async () => {
      const ws = await db().select().from(withdrawals).where(inArray(withdrawals.memo, memos));
      return ws.length === 2 && ws.every((w) => w.status === "processed") ? ws : (ws.find((w) => w.status === "failed") ? Promise.reject(new Error(JSON.stringify(ws.map((w) => w.reason)))) : null);
    });
    const sweepTxs = await db().select().from(outboundTxs).where(inArray(outboundTxs.withdrawalId, sweeps.map((w) => w.id)));
    expect(sweepTxs.map((o) => [o.purpose, o.status, o.feePayer, o.toAddress]).sort()).toEqual([
      ["sweep", "confirmed", hot.toBase58(), hot.toBase58()], ["sweep", "confirmed", hot.toBase58(), hot.toBase58()],
    ]);
    for (const o of sweepTxs) expect(o.feePaid).toBe(10_000n); // two signatures, paid by the hot wallet
    expect(sweepTxs.map((o) => o.amount).sort()).toEqual([2_500_000n, 50_000_000n]);
    expect(await conn.getBalance(new PublicKey(A))).toBe(0);
    expect(await conn.getAccountInfo(usdcAta)).toBeNull(); // closed
    expect(await tokenUnits(USDC, hot)).toBe(hotUsdcBefore + 2_500_000n);
    expect((await a.get(`/v1/balance?currency=sUSDC&address=${B}`)).json.balance).toBe("0");
    expect((await a.get("/v1/income?user_id=sol-1")).json.total_income[1]).toEqual({ deposit_address: B, amount: "2500000", currency: "sUSDC" });

    // payouts to fresh wallets (seed 001 withdrawal/send): SOL, and sUSDC to a wallet without a token account yet
    const solDest = Keypair.generate().publicKey.toBase58();
    const usdcDest = Keypair.generate().publicKey.toBase58();
    const sent = [
      await a.post("/v1/withdrawal/send", { user_id: "sol-1", query_id: "w-sol", currency: "SOL", amount: "20000000", destination: solDest }),
      await a.post("/v1/withdrawal/send", { user_id: "sol-1", query_id: "w-usdc", currency: "sUSDC", amount: "1000000", destination: usdcDest }),
    ];
    for (const r of sent) expect(r.status, r.text).toBe(200);
    const bad = await a.post("/v1/withdrawal/send", { user_id: "sol-1", query_id: "w-bad", currency: "SOL", amount: "1", destination: "0xd8dA6BF26964aF9D7eEd9e03E53415D37aA96045" });
    expect(bad.status).toBe(400);
    const ids = sent.map((r) => BigInt(r.json.ID));
    await until("both payouts processed", async () => {
      const ws = await Promise.all(ids.map(withdrawalOf));
      if (ws.some((w) => w.status === "failed")) throw new Error(JSON.stringify(ws.map((w) => w.reason)));
      return ws.every((w) => w.status === "processed");
    });
    const payouts = await db().select().from(outboundTxs).where(inArray(outboundTxs.withdrawalId, ids));
    for (const [i, id] of ids.entries()) {
      const st = await a.get(`/v1/withdrawal/status?id=${id}`);
      const o = payouts.find((p) => p.withdrawalId === id)!;
      expect(st.json).toMatchObject({ status: "processed", tx_hash: o.txHash });
      expect((await conn.getTransaction(o.txHash!, { maxSupportedTransactionVersion: 0 }))?.meta?.err).toBeNull();
      expect(o).toMatchObject({ purpose: "withdrawal", status: "confirmed", fromAddress: hot.toBase58(), toAddress: i === 0 ? solDest : usdcDest });
    }
    expect(await conn.getBalance(new PublicKey(solDest))).toBe(20_000_000);
    expect(await tokenUnits(USDC, new PublicKey(usdcDest))).toBe(1_000_000n);

    // a crash between signing and broadcast (the stack's worker kept out by the lease): the stored bytes are sent, once
    const chain = loadConfig(JSON.parse(inject("testEnv").childEnvJson)).networks.find((c) => c.network === "solana" && !c.livemode)!;
    const leases = new Leases();
    await until("the withdrawal lease", () => leases.tryAcquire(withdrawalLease(chain)), 20_000);
    try {
      const dest = Keypair.generate().publicKey.toBase58();
      const r = await a.post("/v1/withdrawal/send", { user_id: "sol-1", query_id: "w-crash", currency: "SOL", amount: "5000000", destination: dest });
      const id = BigInt(r.json.ID);
      await withdrawalTick(chain, { mnemonic, lease: false, broadcast: false });
      const [signed] = await db().select().from(outboundTxs).where(eq(outboundTxs.withdrawalId, id));
      expect(signed).toMatchObject({ status: "signed", signedTx: expect.any(String) });
      expect((await withdrawalOf(id)).status).toBe("processing");
      expect((await conn.getSignatureStatuses([signed.txHash!])).value[0]).toBeNull();
      await until("the signed payout processed", async () => {
        await withdrawalTick(chain, { mnemonic, lease: false });
        return (await withdrawalOf(id)).status === "processed";
      });
      const rows = await db().select().from(outboundTxs).where(eq(outboundTxs.withdrawalId, id));
      expect(rows.map((o) => [o.txHash, o.status, o.signedTx])).toEqual([[signed.txHash, "confirmed", signed.signedTx]]);
      expect(await conn.getBalance(new PublicKey(dest))).toBe(5_000_000);
    } finally {
      await leases.close();
    }

    // balances match the ledger: deposits less payouts; every fee spent for the merchant on its fees account
    expect((await a.get("/v1/balance?currency=SOL")).json).toMatchObject({ balance: "25000000", total_pending_amount: "0", total_processing_amount: "0" });
    expect((await a.get("/v1/balance?currency=sUSDC")).json.balance).toBe("1500000");
    const sol = (await a.get("/v1/balances")).json.data.find((b: { code: string }) => b.code === "SOL");
    const spent = await db().select().from(outboundTxs).where(eq(outboundTxs.merchantId, m.merchantId));
    expect(spent).toHaveLength(5);
    const fees = spent.reduce((s, o) => s + (o.feePaid ?? 0n), 0n);
    expect(fees).toBeGreaterThan(25_000n); // the sUSDC payout also paid the new token account's rent
    expect(sol).toMatchObject({ network: "solana", available: "25000000", reserved: "0", incoming: "0", fees: fees.toString() });
  }, 120_000);

  it("take seed-004 payments on SOL: a deposit address of the payment's own, credited by the block scan, forwarded to the merchant with the hot wallet paying the fee", async () => {
    const m = await newMerchant();
    const a = api(m.key);
    const wallet = Keypair.generate().publicKey;
    await db().insert(settlementAddresses).values({ merchantId: m.merchantId, network: "solana", livemode: false, address: wallet.toBase58() });
    // a pair no other test prices
    await setStandInPrices(inject("testEnv").ratesUrl, { "USDC-SGD": "1.25", "SOL-SGD": "200" });

    const pay = async (depositCurrency: string, displayAmount: string) => {
      const created = await a.post("/v1/payments", { clientPaymentId: `sol-${depositCurrency}-${Date.now()}`, displayCurrency: "SGD", displayAmount });
      expect(created.status, created.text).toBe(201);
      const id = created.json.paymentInfo.paymentId as string;
      const r = await a.patch(`/v1/payments/${id}`, { depositCurrency, network: "SOL" });
      expect(r.status, r.text).toBe(200);
      return r.json.paymentInfo;
    };
    const usdc = await pay("USDC", "25.00");
    const sol = await pay("SOL", "40.00");
    expect(usdc).toMatchObject({ status: "PENDING", depositCurrency: "USDC", expectedNetwork: "SOL", expectedDepositAmount: "20" });
    expect(sol).toMatchObject({ status: "PENDING", depositCurrency: "SOL", expectedNetwork: "SOL", expectedDepositAmount: "0.2" });
    // each payment's own address of ours: m/44'/501'/i'/0' at its receiver's index, never the merchant's wallet
    const rows = await db().select().from(receivers).where(inArray(receivers.address, [usdc.walletAddress, sol.walletAddress]));
    expect(rows.map((r) => [r.family, r.checkoutId]).sort()).toEqual([["solana", usdc.paymentId], ["solana", sol.paymentId]].sort());
    for (const r of rows) expect(solanaAddressAt(mnemonic, r.derivationIndex)).toBe(r.address);

    // the payer's page shows the address and a Solana Pay transfer request for the amount
    const page = await (await fetch(`${inject("testEnv").baseUrl}/checkout/${usdc.paymentId}`)).text();
    expect(page).toContain(usdc.walletAddress);

    // an independent client pays them as any wallet would: plain transfers, no reference
    const usdcSig = await send(...tokenTransfer(USDC, usdc.walletAddress, 20_000_000n));
    const solSig = await send(SystemProgram.transfer({ fromPubkey: payer.publicKey, toPubkey: new PublicKey(sol.walletAddress), lamports: 200_000_000 }));

    for (const p of [usdc, sol]) {
      await until(`${p.depositCurrency} payment DEPOSITED`, async () => {
        const r = await a.get(`/v1/payments/${p.paymentId}`);
        return r.json.paymentInfo.status === "DEPOSITED";
      }, 60_000).catch(async (e) => {
        console.log("state:", await db().select().from(checkouts).where(eq(checkouts.id, p.paymentId)), await db().select().from(deposits).where(eq(deposits.checkoutId, p.paymentId)),
          await db().select().from(outboundTxs).where(eq(outboundTxs.checkoutId, p.paymentId)));
        throw e;
      });
    }
    // credited once each, and final
    const credited = await db().select().from(deposits).where(inArray(deposits.txHash, [usdcSig, solSig]));
    expect(credited.map((d) => [d.checkoutId, d.assetCode, d.amount, d.status]).sort()).toEqual([
      [usdc.paymentId, "sUSDC", 20_000_000n, "confirmed"], [sol.paymentId, "SOL", 200_000_000n, "confirmed"],
    ].sort());
    // forwarded whole to the merchant's wallet; the hot wallet paid the fee; the receiver's token account closed
    const forwards = await db().select().from(outboundTxs).where(inArray(outboundTxs.checkoutId, [usdc.paymentId, sol.paymentId]));
    expect(forwards.map((o) => [o.checkoutId, o.purpose, o.status, o.fromAddress, o.toAddress, o.amount, o.feePayer]).sort()).toEqual([
      [usdc.paymentId, "forward", "confirmed", usdc.walletAddress, wallet.toBase58(), 20_000_000n, hot.toBase58()],
      [sol.paymentId, "forward", "confirmed", sol.walletAddress, wallet.toBase58(), 200_000_000n, hot.toBase58()],
    ].sort());
    expect(await tokenUnits(USDC, wallet)).toBe(20_000_000n);
    expect(await conn.getBalance(wallet)).toBe(200_000_000);
    expect(await conn.getAccountInfo(getAssociatedTokenAddressSync(USDC, new PublicKey(usdc.walletAddress)))).toBeNull();
    expect(await conn.getBalance(new PublicKey(sol.walletAddress))).toBe(0);
    // the delivery the API reports is the forward's
    const groups = await db().select().from(settlementGroups).where(inArray(settlementGroups.checkoutId, [usdc.paymentId, sol.paymentId]));
    expect(groups.map((g) => [g.checkoutId, g.mode, g.status, g.deliveredUnits, g.txHash]).sort()).toEqual(
      forwards.map((o) => [o.checkoutId, "forward", "delivered", o.amount, o.txHash]).sort());
    const done = (await a.get(`/v1/payments/${usdc.paymentId}`)).json.paymentInfo;
    expect(done).toMatchObject({ status: "DEPOSITED", deposits: [expect.objectContaining({ txHash: usdcSig, network: "SOL" })] });
  }, 120_000);
});
