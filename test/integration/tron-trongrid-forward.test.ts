// Forwarding a Tron payment through the TronGrid sender (the live-mode path) end to end, with
// Tron-native transactions built and signed offline with tronweb, against the TronGrid stand-in
// (test/helpers/trongrid-stand-in: signature checks, execution on this file's own anvil-backed
// Tron devnet, TRX bandwidth/energy accounting and Stake 2.0). Without staked TRX the engine funds
// the receiver with TRX that its TRC-20 transfer burns for energy, with a fee limit from the
// chain's energy price; with TRON_STAKE_TRX staked it lends the receiver energy
// (DelegateResource) and takes it back after (UnDelegateResource), and the transfer burns no TRX.
// Energy used and TRX burned are recorded per transaction. Own database, so the stack's worker
// never sees these rows. The withdrawal engine's Tron payouts and sweeps go through the same stand-in.
import { eq, sql } from "drizzle-orm";
import pg from "pg";
import { erc20Abi, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { checkouts, depositAddresses, deposits, outboundTxs, receivers, settlementAddresses, withdrawals } from "@/db/schema";
import { hexToTron, tronToHex } from "@/lib/addresses";
import { evmClient } from "@/lib/chains/evm/client";
import { tronSender } from "@/lib/chains/tron/sender";
import { recoverTronSigner, type TronTransaction } from "@/lib/chains/tron/tx";
import { tronFeeLimit } from "@/lib/chains/tron/sender";
import { transition } from "@/lib/checkout/state-machine";
import { loadConfig, type ChainConfig } from "@/lib/config";
import { closeDb, db } from "@/lib/db/client";
import { DEVNET_TOKEN_ADDRESSES, freePort, mintDevnetToken } from "@/lib/devnet/evm";
import { startTronDevnet, type TronDevnet } from "@/lib/devnet/tron";
import { advanceCheckout } from "@/lib/forwarding/forward";
import { fundDevnetHotWallet } from "@/lib/forwarding/fund-devnet-hot-wallet";
import { readyCheckouts } from "@/lib/forwarding/ready";
import { HOT_WALLET_INDEX, tronAccountAt } from "@/lib/keys/derive";
import { metricsText } from "@/lib/metrics/metrics";
import { sessionEvent } from "@/lib/sessions/events";
import { tronRail } from "@/lib/chains/tron/rail";
import { hotWalletEngine } from "@/lib/withdrawals/engines/hot-wallet";
import { TronGridOnAnvil } from "../helpers/trongrid-stand-in";
import { useOwnDatabase } from "./helpers/own-database";

const MNEMONIC = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
const USDT_HEX = DEVNET_TOKEN_ADDRESSES.USDT;
/** TRON_TEST_STAKE_TRX: 100,000 TRX, 1,000,000 energy at the stand-in's ratio */
const STAKE_TRX = 100_000n;

let devnet: TronDevnet;
let grid: TronGridOnAnvil;
let dbName = "";
let chain: ChainConfig;

beforeAll(async () => {
  const own = await useOwnDatabase("tron_grid");
  dbName = own.dbName;

  devnet = await startTronDevnet({ port: await freePort(), blockTimeSeconds: 0.5 });
  grid = new TronGridOnAnvil(devnet.rpcUrl);
  await grid.start();
  chain = loadConfig({ TRON_TEST_RPC_URL: `${grid.url}/jsonrpc`, TRON_TEST_SENDER: "trongrid", TRON_TEST_API_URL: grid.url, TRON_TEST_CONFIRMATIONS: "1", TRON_TEST_STAKE_TRX: STAKE_TRX.toString() })
    .networks.find((n) => n.key === "tron:test")!;
  chain = { ...chain, assets: { ...chain.assets, tUSDT: devnet.tokens.USDT, tUSDC: devnet.tokens.USDC } };
  await fundDevnetHotWallet(devnet.rpcUrl, tronAccountAt(MNEMONIC, HOT_WALLET_INDEX).address);
}, 60_000);

afterAll(async () => {
  await closeDb();
  await grid?.stop();
  await devnet?.stop();
  const admin = new pg.Client({ connectionString: inject("testEnv").adminUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${dbName} with (force)`).catch(() => {});
  await admin.end();
});

/** A session paid with `amount` USDT to a fresh receiver at `index`, confirmed and processing: what forwarding picks up. */
async function paidCheckout(name: string, index: bigint, amount: bigint) {
  const [merchant] = await db().execute<{ id: string }>(sql`insert into merchants (name) values (${name}) returning id`).then((r) => r.rows);
  const settlement = hexToTron(privateKeyToAccount(generatePrivateKey()).address);
  await db().insert(settlementAddresses).values({ merchantId: merchant.id, network: "tron", livemode: false, address: settlement });
  const [checkout] = await db().insert(checkouts).values({
    merchantId: merchant.id, livemode: false, kind: "session", network: "ethereum", chainId: 31337,
    tokenAddress: DEVNET_TOKEN_ADDRESSES.USDC, tokenSymbol: "USDC", tokenDecimals: 6, amountUnits: amount,
    destinationAddress: "0x000000000000000000000000000000000000bEEF", displayTitle: "Order", clientSecret: crypto.randomUUID(),
    expiresAt: sql`now() + interval '1 hour'`,
  }).returning();
  const receiver = hexToTron(tronAccountAt(MNEMONIC, index).address);
  const [rrow] = await db().insert(receivers).values({ merchantId: merchant.id, livemode: false, family: "tron", address: receiver, derivationIndex: index, checkoutId: checkout.id }).returning();
  await db().transaction((tx) => transition(tx, checkout.id, "requires_payment_method", "waiting_payment", [], {
    paymentMethodType: "tron", paymentMethodReceiverAddress: receiver, paymentMethodChosenAt: new Date(),
  }));
  const hash = await mintDevnetToken(devnet.rpcUrl, USDT_HEX, tronToHex(receiver), amount);
  const r = await evmClient(chain).getTransactionReceipt({ hash });
  await db().insert(deposits).values({
    merchantId: merchant.id, livemode: false, network: "tron", chainId: null, txHash: hash, logIndex: 0, blockNumber: r.blockNumber, blockHash: r.blockHash,
    fromAddress: null, toAddress: receiver, tokenAddress: devnet.tokens.USDT, assetCode: "tUSDT", amount,
    status: "confirmed", receiverId: rrow.id, checkoutId: checkout.id, confirmedAt: new Date(),
  });
  await db().transaction((tx) => transition(tx, checkout.id, "waiting_payment", "processing", [sessionEvent("session.processing")]));
  return { merchantId: merchant.id, checkoutId: checkout.id, receiver, settlement };
}

const json = (v: unknown) => JSON.stringify(v, (_k, x) => typeof x === "bigint" ? x.toString() : x);
const rowsOf = (checkoutId: string) => db().select().from(outboundTxs).where(eq(outboundTxs.checkoutId, checkoutId)).orderBy(outboundTxs.createdAt);
const usdt = (owner: string) => evmClient(chain).readContract({ address: USDT_HEX, abi: erc20Abi, functionName: "balanceOf", args: [tronToHex(owner)] });
const hot = () => hexToTron(tronAccountAt(MNEMONIC, HOT_WALLET_INDEX).address);

/**
 * Forwarding passes (what forwardingTick does once the network is synced: reconcile, with the
 * mnemonic, then advance every ready checkout) until `done`.
 */
async function drive(checkoutId: string, done: () => Promise<boolean>, opts: { upkeep: boolean; broadcast?: boolean; once?: boolean }) {
  const deadline = Date.now() + 40_000;
  for (;;) {
    await tronSender(chain).reconcile(opts.upkeep ? { mnemonic: MNEMONIC } : {});
    for (const ready of await readyCheckouts(chain)) await advanceCheckout(chain, ready, { mnemonic: MNEMONIC, broadcast: opts.broadcast });
    if (await done()) return;
    if (Date.now() > deadline) throw new Error(`not done: ${json(await rowsOf(checkoutId))}`);
    await new Promise((res) => setTimeout(res, 200));
  }
}

const succeeded = (checkoutId: string) => async () =>
  (await db().select({ status: checkouts.status }).from(checkouts).where(eq(checkouts.id, checkoutId)))[0].status === "succeeded";

describe("forwarding on Tron through the TronGrid sender", () => {
  it("without staked TRX: funds the receiver with TRX it burns for energy, the fee limit from the chain's energy price, and records energy and TRX burned", async () => {
    expect(chain).toMatchObject({ enabled: true, tron: { sender: "trongrid", stakeSun: STAKE_TRX * 1_000_000n } });
    expect(tronSender(chain).kind).toBe("trongrid");
    // an energy price unlike the stand-in's default: the fee limit must follow the chain's getEnergyFee
    grid.energyFee = 280n;
    const p = await paidCheckout("Tron Grid Shop", 41n, 7_000_000n);
    // no mnemonic for reconcile: no staking yet, the hot wallet has nothing to lend
    await drive(p.checkoutId, succeeded(p.checkoutId), { upkeep: false });

    expect(await usdt(p.settlement)).toBe(7_000_000n);
    expect(await usdt(p.receiver)).toBe(0n);
    const rows = await rowsOf(p.checkoutId);
    expect(rows.map((x) => [x.purpose, x.status])).toEqual([["gas_funding", "confirmed"], ["forward", "confirmed"]]);
    const [funding, forward] = rows;
    expect(funding).toMatchObject({ fromAddress: hot(), toAddress: p.receiver, tokenAddress: null, nonce: null });
    expect(forward).toMatchObject({ fromAddress: p.receiver, toAddress: p.settlement, tokenAddress: devnet.tokens.USDT, amount: 7_000_000n, nonce: null });
    const fundingTx = JSON.parse(funding.signedTx!) as TronTransaction;
    const forwardTx = JSON.parse(forward.signedTx!) as TronTransaction;
    expect(fundingTx.raw_data.contract[0].type).toBe("TransferContract");
    expect(recoverTronSigner(fundingTx)).toBe(hot());
    expect(forwardTx.raw_data.contract[0].type).toBe("TriggerSmartContract");
    expect(recoverTronSigner(forwardTx)).toBe(p.receiver);
    expect(forward.txHash).toBe(`0x${forwardTx.txID}`);
    // the fee limit is the estimated energy at 280 sun, and covered it all: every unit was burned at that price
    const feeLimit = BigInt(forwardTx.raw_data.fee_limit!);
    expect(feeLimit % 280n).toBe(0n);
    expect(forward.energyUsed!).toBeGreaterThan(21_000n);
    expect(feeLimit / 280n).toBeGreaterThanOrEqual(forward.energyUsed!);
    expect(forward.energyFee).toBe(forward.energyUsed! * 280n);
    // the receiver's free bandwidth paid for its bytes; fee_paid is all the TRX it burned
    expect(forward).toMatchObject({ netFee: 0n, feePaid: forward.energyFee });
    expect(forward.netUsage!).toBeGreaterThan(0n);
    // the hot wallet's funding created the receiver's account (1 TRX burned) and covered the most the forward could burn
    expect(funding.feePaid).toBeGreaterThanOrEqual(1_000_000n);
    expect(feeLimit).toBeLessThanOrEqual(funding.amount);
    expect(await grid.balance(tronToHex(p.receiver).toLowerCase() as Hex)).toBe(funding.amount - forward.feePaid!);
    const [done] = await db().select().from(checkouts).where(eq(checkouts.id, p.checkoutId));
    expect(done).toMatchObject({ status: "succeeded", deliveryTxHash: forward.txHash, deliveryReceivedUnits: 7_000_000n });
    grid.energyFee = 420n;
  });

  it("with TRON_STAKE_TRX staked: lends the receiver energy, forwards burning no TRX, takes the energy back; a crash before the delegation's broadcast sends it once", async () => {
    const hotHex = tronToHex(hot()).toLowerCase() as Hex;
    // the worker's upkeep stakes TRON_STAKE_TRX once, however often it runs
    await tronSender(chain).reconcile({ mnemonic: MNEMONIC });
    await tronSender(chain).reconcile({ mnemonic: MNEMONIC });
    await tronSender(chain).reconcile({ mnemonic: MNEMONIC });
    expect(grid.frozen.get(hotHex)).toBe(STAKE_TRX * 1_000_000n);
    expect([...grid.kinds.values()].filter((k) => k === "FreezeBalanceV2Contract")).toHaveLength(1);

    const p = await paidCheckout("Tron Energy Shop", 43n, 9_000_000n);
    const recvHex = tronToHex(p.receiver).toLowerCase() as Hex;
    const delegations = async () => (await rowsOf(p.checkoutId)).filter((r) => r.purpose === "energy_delegation");
    // passes that die right after their commits: the activation (1 sun) goes out through reconcile, the delegation is stored and never broadcast
    await drive(p.checkoutId, async () => (await delegations()).length > 0, { upkeep: true, broadcast: false });
    const [stored] = await delegations();
    expect(stored).toMatchObject({ status: "signed", fromAddress: hot(), toAddress: p.receiver, tokenAddress: null });
    const storedTx = JSON.parse(stored.signedTx!) as TronTransaction;
    expect(grid.executed.has(storedTx.txID)).toBe(false);
    // the restarted worker's next pass signs no second delegation
    for (const ready of await readyCheckouts(chain)) await advanceCheckout(chain, ready, { mnemonic: MNEMONIC, broadcast: false });
    expect(await delegations()).toHaveLength(1);

    // the checkout succeeds, then the energy comes back
    await drive(p.checkoutId, async () => (await succeeded(p.checkoutId)()) && (await rowsOf(p.checkoutId)).some((r) => r.purpose === "energy_reclaim" && r.status === "confirmed"), { upkeep: true });

    expect(await usdt(p.settlement)).toBe(9_000_000n);
    const rows = await rowsOf(p.checkoutId);
    expect(rows.map((x) => [x.purpose, x.status])).toEqual([
      ["gas_funding", "confirmed"], ["energy_delegation", "confirmed"], ["forward", "confirmed"], ["energy_reclaim", "confirmed"],
    ]);
    const [activation, delegation, forward, reclaim] = rows;
    // the receiver was only activated: 1 sun, no TRX to burn
    expect(activation).toMatchObject({ fromAddress: hot(), toAddress: p.receiver, amount: 1n });
    // the delegation is the stored bytes, broadcast once
    expect(delegation.id).toBe(stored.id);
    expect(delegation.signedTx).toBe(stored.signedTx);
    expect(storedTx.raw_data.contract[0].type).toBe("DelegateResourceContract");
    expect(recoverTronSigner(storedTx)).toBe(hot());
    expect([...grid.kinds.values()].filter((k) => k === "DelegateResourceContract")).toHaveLength(1);
    const reclaimTx = JSON.parse(reclaim.signedTx!) as TronTransaction;
    expect(reclaimTx.raw_data.contract[0].type).toBe("UnDelegateResourceContract");
    expect(recoverTronSigner(reclaimTx)).toBe(hot());
    expect(reclaim).toMatchObject({ fromAddress: hot(), toAddress: p.receiver, amount: delegation.amount });
    expect(grid.delegations.get(`${hotHex}>${recvHex}`)).toBe(0n);
    // the loan was just enough whole TRX for the forward's energy estimate (10 energy per TRX in the stand-in)
    const forwardTx = JSON.parse(forward.signedTx!) as TronTransaction;
    const feeLimit = BigInt(forwardTx.raw_data.fee_limit!);
    expect(feeLimit % 420n).toBe(0n);
    expect(delegation.amount).toBe(((feeLimit / 420n + 9n) / 10n) * 1_000_000n);
    // the forward ran on lent energy: it burned nothing
    expect(forward.energyUsed!).toBeGreaterThan(21_000n);
    expect(forward).toMatchObject({ feePaid: 0n, energyFee: 0n, netFee: 0n });
    expect(await grid.balance(recvHex)).toBe(1n);
    // delegation and reclaim move no TRX; their fees (bandwidth) are the hot wallet's in the ledger
    const entries = await db().execute<{ ref_id: string; reason: string; kind: string }>(sql`
      select e.ref_id, e.reason, a.kind from ledger_entries e join ledger_accounts a on a.id = e.credit_account_id
      where e.ref_type = 'outbound_tx' and e.ref_id in (${delegation.id}, ${reclaim.id})`).then((r) => r.rows);
    expect(entries.every((e) => e.reason === "fee" && e.kind === "hot_wallet")).toBe(true);
    expect(entries.length).toBe([delegation, reclaim].filter((r) => (r.feePaid ?? 0n) > 0n).length);
    // /metrics: nothing lent any more; the energy used so far, and burned only by the first test's forward
    const metrics = await metricsText();
    const metric = (name: string) => Number(new RegExp(`^${name}\\{network="tron",mode="test"\\} (\\S+)$`, "m").exec(metrics)?.[1]);
    expect(metric("tollgate_energy_lent_sun")).toBe(0);
    expect(metric("tollgate_outbound_energy_used")).toBeGreaterThanOrEqual(Number(forward.energyUsed));
    const burned = (await db().select({ f: outboundTxs.energyFee }).from(outboundTxs)).reduce((a, r) => a + (r.f ?? 0n), 0n);
    expect(metric("tollgate_outbound_energy_burned_sun")).toBe(Number(burned));
  });

  it("with too little staked to lend the transfer's energy: funds TRX to burn, as without staking", async () => {
    const hotHex = tronToHex(hot()).toLowerCase() as Hex;
    const staked = grid.frozen.get(hotHex)!;
    // 1,000 TRX left to lend: 10,000 energy at the stand-in's ratio, far from a transfer's
    grid.frozen.set(hotHex, 1_000_000_000n);
    try {
      const p = await paidCheckout("Tron Thin Stake", 44n, 5_000_000n);
      // no upkeep: it would top the stake up to TRON_TEST_STAKE_TRX again
      await drive(p.checkoutId, succeeded(p.checkoutId), { upkeep: false });
      const rows = await rowsOf(p.checkoutId);
      expect(rows.map((x) => [x.purpose, x.status])).toEqual([["gas_funding", "confirmed"], ["forward", "confirmed"]]);
      const [funding, forward] = rows;
      const feeLimit = BigInt((JSON.parse(forward.signedTx!) as TronTransaction).raw_data.fee_limit!);
      expect(feeLimit).toBe(tronFeeLimit(feeLimit / 420n, 420n));
      expect(feeLimit).toBeLessThanOrEqual(funding.amount);
      expect(forward.energyFee).toBe(forward.energyUsed! * 420n);
      expect(forward.feePaid).toBe(forward.energyFee! + forward.netFee!);
      expect(grid.frozen.get(hotHex)).toBe(1_000_000_000n);
    } finally {
      grid.frozen.set(hotHex, staked);
    }
  });
});

describe("withdrawals on Tron through the TronGrid sender", () => {
  it("pays a TRC-20 payout from the Tron hot wallet and sweeps a deposit address (TRX fee funding first), all Tron-native", async () => {
    const [merchant] = await db().execute<{ id: string }>(sql`insert into merchants (name) values ('Tron Grid Payouts') returning id`).then((r) => r.rows);
    const hot = hexToTron(tronAccountAt(MNEMONIC, HOT_WALLET_INDEX).address);
    const destination = hexToTron(privateKeyToAccount(generatePrivateKey()).address);
    // a deposit address holding 4 USDT and no TRX
    const index = 42n;
    const address = hexToTron(tronAccountAt(MNEMONIC, index).address);
    const [rrow] = await db().insert(receivers).values({ merchantId: merchant.id, livemode: false, family: "tron", address, derivationIndex: index, checkoutId: null }).returning();
    await db().insert(depositAddresses).values({ merchantId: merchant.id, livemode: false, receiverId: rrow.id, address, network: "tron", currency: "tUSDT", kind: "new", userId: "u" });
    const minted = await mintDevnetToken(devnet.rpcUrl, USDT_HEX, tronToHex(address), 4_000_000n);
    // no watcher runs here: the credit is recorded as the watcher would, from the real transaction, and confirmed —
    // the merchant's 4 USDT (its ledger's available balance) that the payout below draws on
    const receipt = await evmClient(chain).getTransactionReceipt({ hash: minted as Hex });
    const [dep] = await db().insert(deposits).values({
      merchantId: merchant.id, livemode: false, network: "tron", chainId: null, txHash: minted, logIndex: 0, blockNumber: receipt.blockNumber,
      blockHash: receipt.blockHash, fromAddress: null, toAddress: address, tokenAddress: devnet.tokens.USDT, assetCode: "tUSDT",
      amount: 4_000_000n, receiverId: rrow.id, checkoutId: null,
    }).returning();
    await db().update(deposits).set({ status: "confirmed", confirmedAt: new Date() }).where(eq(deposits.id, dep.id));
    const [payout] = await db().insert(withdrawals).values({
      merchantId: merchant.id, livemode: false, kind: "payout", userId: "u", queryId: "q", requestHash: "h", network: "tron", currency: "tUSDT", amount: 2_000_000n, destination,
    }).returning();
    const [sweep] = await db().insert(withdrawals).values({
      merchantId: merchant.id, livemode: false, kind: "sweep", network: "tron", currency: "tUSDT", amount: null, fromAddress: address, destination: hot, memo: crypto.randomUUID(),
    }).returning();

    // a pass that dies right after its commits: the signed transactions are stored, nothing reached the network
    const executedBefore = grid.executed.size;
    await hotWalletEngine(tronRail).pass(chain, { mnemonic: MNEMONIC, broadcast: false });
    const [stored] = await db().select().from(outboundTxs).where(eq(outboundTxs.withdrawalId, payout.id));
    expect(stored).toMatchObject({ purpose: "withdrawal", status: "signed" });
    expect((await db().select().from(withdrawals).where(eq(withdrawals.id, payout.id)))[0].status).toBe("processing");
    expect(grid.executed.size).toBe(executedBefore);

    // withdrawal passes and reconciles (what the worker's withdrawal and forwarding ticks do once synced):
    // reconcile broadcasts the stored bytes, the next passes sign nothing new for the payout
    const deadline = Date.now() + 40_000;
    for (;;) {
      await tronSender(chain).reconcile();
      await hotWalletEngine(tronRail).pass(chain, { mnemonic: MNEMONIC });
      const rows = await db().select({ status: withdrawals.status }).from(withdrawals).where(eq(withdrawals.merchantId, merchant.id));
      if (rows.every((w) => w.status === "processed")) break;
      if (Date.now() > deadline) {
        const dump = { withdrawals: await db().select().from(withdrawals), outbound: await db().select().from(outboundTxs).where(eq(outboundTxs.merchantId, merchant.id)) };
        throw new Error(`withdrawals not processed: ${JSON.stringify(dump, (_k, v) => typeof v === "bigint" ? v.toString() : v)}`);
      }
      await new Promise((res) => setTimeout(res, 300));
    }

    const usdt = (owner: string) => evmClient(chain).readContract({ address: USDT_HEX, abi: erc20Abi, functionName: "balanceOf", args: [tronToHex(owner)] });
    expect(await usdt(destination)).toBe(2_000_000n);
    expect(await usdt(address)).toBe(0n);
    const [paid] = await db().select().from(outboundTxs).where(eq(outboundTxs.withdrawalId, payout.id));
    expect(paid).toMatchObject({ purpose: "withdrawal", status: "confirmed", fromAddress: hot, toAddress: destination, tokenAddress: devnet.tokens.USDT, amount: 2_000_000n, nonce: null });
    const paidTx = JSON.parse(paid.signedTx!) as TronTransaction;
    expect(paidTx.raw_data.contract[0].type).toBe("TriggerSmartContract");
    expect(recoverTronSigner(paidTx)).toBe(hot);
    expect(paid.txHash).toBe(`0x${paidTx.txID}`);
    expect(paid.id).toBe(stored.id);
    expect(grid.kinds.get(paidTx.txID)).toBe("TriggerSmartContract");
    const transfers = await evmClient(chain).getContractEvents({ address: USDT_HEX, abi: erc20Abi, eventName: "Transfer", args: { to: tronToHex(destination) }, fromBlock: 0n });
    expect(transfers).toHaveLength(1);
    const [w] = await db().select().from(withdrawals).where(eq(withdrawals.id, payout.id));
    expect(w.txHash).toBe(paid.txHash);

    const swept = await db().select().from(outboundTxs).where(eq(outboundTxs.withdrawalId, sweep.id)).orderBy(outboundTxs.createdAt);
    expect(swept.map((r) => [r.purpose, r.status, r.fromAddress, r.toAddress])).toEqual([["gas_funding", "confirmed", hot, address], ["sweep", "confirmed", address, hot]]);
    const [fundingTx, sweepTx] = swept.map((r) => JSON.parse(r.signedTx!) as TronTransaction);
    expect(fundingTx.raw_data.contract[0].type).toBe("TransferContract");
    expect(recoverTronSigner(fundingTx)).toBe(hot);
    expect(sweepTx.raw_data.contract[0].type).toBe("TriggerSmartContract");
    expect(recoverTronSigner(sweepTx)).toBe(address);
    // the TRX sent covered the most the sweep could burn
    expect(BigInt(sweepTx.raw_data.fee_limit!)).toBeLessThanOrEqual(swept[0].amount);
    expect(swept[1].amount).toBe(4_000_000n);
  });
});
