// TON (issue 17) on the stack's TON devnet (@ton/sandbox behind a toncenter v2 API): an
// independent client (@ton/ton's TonClient, wallet v4r2 from the devnet's printed mnemonics) sends
// TON and jettons and reads balances, transactions, blocks and get-methods through the printed URL;
// then seed 001's endpoints on TON and the jUSDT jetton, with deposits made by real TON messages
// and credited by the stack's own worker.
import { createHash } from "node:crypto";
import { Address, Cell, SendMode, beginCell, external, internal, loadMessage, toNano } from "@ton/core";
import { mnemonicToWalletKey, type KeyPair } from "@ton/crypto";
import { TonClient, WalletContractV4, type OpenedContract } from "@ton/ton";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq, inArray } from "drizzle-orm";
import { describe, expect, inject, it } from "vitest";
import { checkoutActions, deposits, events, networkStatus, outboundTxs, receivers, settlementAddresses, withdrawals } from "@/db/schema";
import { and } from "drizzle-orm";
import { tonApi } from "@/lib/chains/ton/client";
import { ton } from "@/lib/chains/ton";
import { DEVNET_TOKEN_ADDRESSES } from "@/lib/devnet/evm";
import { setStandInPrices } from "../setup/rate-stand-in";
import { TonWatcher } from "@/lib/chains/ton/watcher";
import type { ChainConfig } from "@/lib/config";
import { tonAddressAt, tonKeyPairAt, tonWalletOf } from "@/lib/chains/ton/keys";
import { highloadBatch, highloadBody, highloadWalletOf } from "@/lib/chains/ton/highload";
import { loadConfig } from "@/lib/config";
import { withdrawalLease, withdrawalTick } from "@/lib/withdrawals/tick";
import { forwardingLease } from "@/lib/forwarding/tick";
import { Leases } from "@/lib/worker/leases";
import { commentOf } from "@/lib/chains/ton/credits";
import { db } from "@/lib/db/client";
import { api, newMerchant } from "../helpers/api";
import { mnemonic } from "./helpers/forwarding-fixtures";
import { TON_CONTRACTS_ARTIFACT_PATH, TON_HIGHLOAD_ARTIFACT_PATH, compileTonContracts, compileTonHighload, serializeTonArtifact } from "@/lib/devnet/compile-ton";
import { jettonWalletAddress, jettonWalletData, startTonDevnet, tonContracts } from "@/lib/devnet/ton";
import { createShardAccount } from "@ton/sandbox";
import { JETTON_GAS, broadcast, hotSender, hotStateOf, jettonTransferBody, reconcileTon, signAndRecordHot, textCell } from "@/lib/chains/ton/withdrawals";
import { DEVNET_TON_DNS_NAME, DEVNET_TON_DNS_ROOT, DEVNET_TON_JETTON_MASTER, DEVNET_TON_WALLETS } from "@/lib/devnet/ton-constants";

const client = new TonClient({ endpoint: inject("testEnv").rpcTon });
/** the hot wallet: the highload wallet of the key at m/44'/607'/0' */
const hotWalletAddress = () => highloadWalletOf(tonKeyPairAt(mnemonic, 0).publicKey).address;
const tonChain = () => loadConfig(JSON.parse(inject("testEnv").childEnvJson)).networks.find((c) => c.network === "ton" && !c.livemode)!;
const master = Address.parse(DEVNET_TON_JETTON_MASTER);

async function until<T>(what: string, f: () => Promise<T | null | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

type Wallet = { key: KeyPair; contract: OpenedContract<WalletContractV4>; address: Address };
const wallets = new Map<number, Promise<Wallet>>();
function wallet(i: number): Promise<Wallet> {
  let w = wallets.get(i);
  if (!w) {
    w = mnemonicToWalletKey(DEVNET_TON_WALLETS[i].mnemonic.split(" ")).then((key) => {
      const contract = client.open(WalletContractV4.create({ workchain: 0, publicKey: key.publicKey }));
      return { key, contract, address: contract.address };
    });
    wallets.set(i, w);
  }
  return w;
}

/** Sends one message from test wallet `i` and waits until its seqno moved (the external message ran). */
async function sendFrom(i: number, msg: { to: Address; value: bigint; body?: Cell | string; bounce?: boolean }): Promise<void> {
  const w = await wallet(i);
  const seqno = await w.contract.getSeqno();
  // fees paid on top: the message carries the whole value
  await w.contract.sendTransfer({ seqno, secretKey: w.key.secretKey, sendMode: SendMode.PAY_GAS_SEPARATELY | SendMode.IGNORE_ERRORS, messages: [internal({ bounce: false, ...msg })] });
  await until("the wallet's seqno", async () => (await w.contract.getSeqno()) > seqno);
}

async function jettonWalletOf(owner: Address): Promise<Address> {
  const r = await client.runMethod(master, "get_wallet_address", [{ type: "slice", cell: beginCell().storeAddress(owner).endCell() }]);
  return r.stack.readAddress();
}

async function jettonBalance(owner: Address): Promise<bigint> {
  const jw = await jettonWalletOf(owner);
  if (!(await client.isContractDeployed(jw))) return 0n;
  return (await client.runMethod(jw, "get_wallet_data")).stack.readBigNumber();
}

/** TEP-74 transfer: from the sender's jetton wallet to `to`'s, with `forward` TON for a notification carrying `comment`. */
function jettonTransfer(amount: bigint, to: Address, responseTo: Address, forward: bigint, comment?: string): Cell {
  return beginCell()
    .storeUint(0x0f8a7ea5, 32).storeUint(0, 64).storeCoins(amount).storeAddress(to).storeAddress(responseTo)
    .storeBit(0).storeCoins(forward)
    .storeMaybeRef(comment === undefined ? null : beginCell().storeUint(0, 32).storeStringTail(comment).endCell())
    .endCell();
}

describe("TON devnet", () => {
  it("ships the contracts its FunC sources compile to", async () => {
    expect(readFileSync(TON_CONTRACTS_ARTIFACT_PATH, "utf8")).toBe(serializeTonArtifact(await compileTonContracts()));
    // and the hot wallet's code (lib/chains/ton/contracts), whose hash is the hot wallet's address
    expect(readFileSync(TON_HIGHLOAD_ARTIFACT_PATH, "utf8")).toBe(`${JSON.stringify(await compileTonHighload(), null, 2)}\n`);
  });

  it("keeps its state across a restart and goes on producing blocks", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "ton-devnet-"));
    try {
      const stateFile = path.join(dir, "ton.json");
      let d = await startTonDevnet({ port: 0, blockMs: 200, stateFile });
      let c = new TonClient({ endpoint: d.endpoint });
      const to = Address.parse(d.wallets[2].address);
      const key = await mnemonicToWalletKey(d.wallets[0].mnemonic.split(" "));
      const w = c.open(WalletContractV4.create({ workchain: 0, publicKey: key.publicKey }));
      await w.sendTransfer({ seqno: 0, secretKey: key.secretKey, sendMode: SendMode.PAY_GAS_SEPARATELY, messages: [internal({ to, value: toNano("2"), bounce: false })] });
      await until("the transfer in a block", async () => (await c.getTransactions(to, { limit: 5 })).length === 1);
      const [head, balance] = [(await c.getMasterchainInfo()).latestSeqno, await c.getBalance(to)];
      await d.stop();
      d = await startTonDevnet({ port: 0, blockMs: 200, stateFile });
      try {
        expect(d.loaded).toBe(true);
        c = new TonClient({ endpoint: d.endpoint });
        expect((await c.getMasterchainInfo()).latestSeqno).toBeGreaterThanOrEqual(head);
        expect(await c.getBalance(to)).toBe(balance);
        expect(await c.open(WalletContractV4.create({ workchain: 0, publicKey: key.publicKey })).getSeqno()).toBe(1);
        expect(await c.getTransactions(to, { limit: 5 })).toHaveLength(1);
        await until("a new block", async () => (await c.getMasterchainInfo()).latestSeqno > head + 1);
      } finally {
        await d.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("serves TonClient: TON and jetton transfers, transactions by account and by block, get-methods, DNS", async () => {
    const a = await wallet(0);
    const to = WalletContractV4.create({ workchain: 0, publicKey: createHash("sha256").update(`ton-test-${Date.now()}`).digest() }).address;

    // a fresh account does not exist; a transfer to it leaves it uninit holding the coins
    expect((await client.getContractState(to)).state).toBe("uninitialized");
    expect(await client.getBalance(to)).toBe(0n);
    const before = await client.getBalance(a.address);
    await sendFrom(0, { to, value: toNano("1.5"), body: "hello" });
    const txs = await until("the recipient's transaction", async () => {
      const l = await client.getTransactions(to, { limit: 5 });
      return l.length ? l : null;
    });
    const inMsg = txs[0].inMessage!;
    expect(inMsg.info.type).toBe("internal");
    if (inMsg.info.type !== "internal") throw new Error("unreachable");
    expect(inMsg.info.src.equals(a.address)).toBe(true);
    expect(inMsg.info.value.coins).toBe(toNano("1.5"));
    expect(inMsg.body.beginParse().skip(32).loadStringTail()).toBe("hello");
    expect(await client.getBalance(to)).toBe(toNano("1.5"));
    expect((await client.getContractState(to)).state).toBe("uninitialized");
    expect(await client.getBalance(a.address)).toBeLessThan(before - toNano("1.5"));
    // the same transaction by id, and in its block's transaction list (what a watcher scans)
    const again = await client.getTransaction(to, txs[0].lt.toString(), txs[0].hash().toString("base64"));
    expect(again?.hash().equals(txs[0].hash())).toBe(true);
    const info = await client.getMasterchainInfo();
    let found = false;
    for (let s = info.latestSeqno; s > Math.max(0, info.latestSeqno - 30) && !found; s--) {
      const shards = await client.getWorkchainShards(s);
      for (const sh of shards) {
        const list = await client.getShardTransactions(sh.workchain, sh.seqno, sh.shard);
        found ||= list.some((t) => t.account.equals(to) && t.hash === txs[0].hash().toString("base64"));
      }
    }
    expect(found).toBe(true);

    // jetton: 12.5 USDT from wallet 0 to wallet 2, with a notification carrying a comment
    const b = await wallet(2);
    const [a0, b0] = [await jettonBalance(a.address), await jettonBalance(b.address)];
    await sendFrom(0, { to: await jettonWalletOf(a.address), value: toNano("0.2"), bounce: true, body: jettonTransfer(12_500_000n, b.address, a.address, toNano("0.05"), "order 7") });
    await until("the jetton balance", async () => (await jettonBalance(b.address)) === b0 + 12_500_000n);
    expect(await jettonBalance(a.address)).toBe(a0 - 12_500_000n);
    // the owner got transfer_notification from its jetton wallet with amount, sender and comment
    const note = await until("the notification", async () => (await client.getTransactions(b.address, { limit: 5 })).find((t) => {
      const s = t.inMessage?.body.beginParse();
      return s && s.remainingBits >= 32 && s.preloadUint(32) === 0x7362d09c ? t : null;
    }));
    const body = note.inMessage!.body.beginParse().skip(32 + 64);
    expect(body.loadCoins()).toBe(12_500_000n);
    expect(body.loadAddress().equals(a.address)).toBe(true);
    const payload = body.loadBit() ? body.loadRef().beginParse() : body;
    expect(payload.skip(32).loadStringTail()).toBe("order 7");
    if (note.inMessage!.info.type !== "internal") throw new Error("unreachable");
    expect(note.inMessage!.info.src.equals(await jettonWalletOf(b.address))).toBe(true);

    // get-methods: jetton data (6 decimals in the on-chain content) and the DNS resolver
    const jd = await client.runMethod(master, "get_jetton_data");
    expect(jd.stack.readBigNumber()).toBeGreaterThan(0n);
    const dns = await client.runMethod(Address.parse(DEVNET_TON_DNS_ROOT), "dnsresolve", [
      { type: "slice", cell: beginCell().storeBuffer(Buffer.from("ton\0wallet\0")).endCell() },
      { type: "int", value: BigInt(`0x${createHash("sha256").update("wallet").digest("hex")}`) },
    ]);
    expect(dns.stack.readNumber()).toBe(88);
    const rec = dns.stack.readCell().beginParse();
    expect(rec.loadUint(16)).toBe(0x9fd3);
    expect(rec.loadAddress().equals((await wallet(1)).address)).toBe(true);
    expect(DEVNET_TON_DNS_NAME).toBe("wallet.ton");
  });
});

const friendly = (a: Address, bounceable = false) => a.toString({ urlSafe: true, bounceable, testOnly: true });

describe("TON deposit addresses (seed 001)", () => {
  it("credit TON with text and binary comments and a real jetton to new addresses; ignore bounces and fake jettons; balance, sync, resolve; pay out TON with comments once per query_id", async () => {
    const m = await newMerchant();
    const a = api(m.key);
    const user = `ton-${Date.now()}`;
    const tonAddr = await a.post("/v1/address/new", { user_id: user, currency: "TON" });
    expect(tonAddr.status, tonAddr.text).toBe(200);
    const usdtAddr = await a.post("/v1/address/new", { user_id: user, currency: "jUSDT" });
    expect(usdtAddr.status, usdtAddr.text).toBe(200);
    const A = tonAddr.json.address as string;
    const B = usdtAddr.json.address as string;
    // user-friendly, non-bounceable, test-only (0Q…); wallet v4r2 of m/44'/607'/i'
    expect(A).toMatch(/^0Q[A-Za-z0-9_-]{46}$/);
    expect(B).toMatch(/^0Q[A-Za-z0-9_-]{46}$/);
    const rows = await db().select().from(receivers).where(eq(receivers.family, "ton"));
    for (const addr of [A, B]) {
      const r = rows.find((x) => x.address === addr)!;
      expect(r, addr).toBeDefined();
      expect(Address.parse(addr).toRawString()).toBe(tonAddressAt(mnemonic, r.derivationIndex));
    }
    const all = await a.get(`/v1/address/all?user_id=${user}`);
    expect(all.json.addresses).toEqual([{ address: A, currency: "TON" }, { address: B, currency: "jUSDT" }]);

    // a new address exists nowhere yet
    const fresh = await a.get(`/v1/balance?currency=TON&address=${A}`);
    expect(fresh.status, fresh.text).toBe(200);
    expect(fresh.json).toMatchObject({ balance: "0", status: "non_exist" });

    const w0 = await wallet(0);
    // TON with a text comment, TON with a binary body, a bounceable message the uninit wallet bounces back
    await sendFrom(0, { to: Address.parse(A), value: toNano("2.5"), body: "hello" });
    await sendFrom(0, { to: Address.parse(A), value: toNano("0.75"), body: beginCell().storeUint(0xdeadbeef, 32).storeUint(0x12, 8).endCell() });
    await sendFrom(0, { to: Address.parse(A), value: toNano("5"), body: "bounce me", bounce: true });
    // 7 jUSDT to B through the jetton (with a notification carrying a comment), then a fake notification straight from a wallet
    await sendFrom(0, { to: await jettonWalletOf(w0.address), value: toNano("0.2"), bounce: true, body: jettonTransfer(7_000_000n, Address.parse(B), w0.address, toNano("0.05"), "order 9") });
    const fake = beginCell().storeUint(0x7362d09c, 32).storeUint(0, 64).storeCoins(1_000_000_000n).storeAddress(w0.address).storeBit(0).storeUint(0, 32).storeStringTail("fake").endCell();
    await sendFrom(2, { to: Address.parse(B), value: toNano("0.1"), body: fake });
    // (a notification credits its jetton or nothing: the fake's TON value is not counted either)
    await until("B's notification", async () => (await client.getTransactions(Address.parse(B), { limit: 5 })).length >= 2);

    const history = await until("the TON deposits", async () => {
      const h = await a.get(`/v1/deposit/history?user_id=${user}&currency=TON&limit=10&offset=0&sort_order=asc`);
      return h.json.incomes?.filter((i: { deposit_address: string }) => i.deposit_address === A).length >= 2 ? h.json.incomes : null;
    });
    // (both may be in one block: same time, so ordered here by amount)
    const onA = history.filter((i: { deposit_address: string }) => i.deposit_address === A).sort((x: { amount: string }, y: { amount: string }) => Number(y.amount) - Number(x.amount));
    expect(onA).toHaveLength(2); // the bounced 5 TON is not income
    expect(onA[0]).toMatchObject({ deposit_address: A, source_address: friendly(w0.address), amount: "2500000000", comment: "hello" });
    expect(onA[1]).toMatchObject({ amount: "750000000", comment: "deadbeef12" });
    expect(onA[0].tx_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(Math.abs(onA[0].time - Date.now() / 1000)).toBeLessThan(120);
    // the hash is the deposit's own TON transaction
    const byHash = await a.get(`/v1/deposit/income?tx_hash=${onA[0].tx_hash}`);
    expect(byHash.status, byHash.text).toBe(200);
    expect(byHash.json).toEqual({ currency: "TON", income: onA[0] });
    const txs = await client.getTransactions(Address.parse(A), { limit: 10 });
    expect(txs.map((t) => t.hash().toString("hex"))).toContain(onA[0].tx_hash);

    const jetton = await until("the jetton deposit", async () => {
      const h = await a.get(`/v1/deposit/history?user_id=${user}&currency=jUSDT&limit=10&offset=0&sort_order=desc`);
      return h.json.incomes?.length ? h.json.incomes : null;
    });
    // wait a few blocks: a fake notification would have been credited by now
    await new Promise((r) => setTimeout(r, 1500));
    const jettonAfter = (await a.get(`/v1/deposit/history?user_id=${user}&currency=jUSDT&limit=10&offset=0&sort_order=desc`)).json.incomes;
    expect(jettonAfter).toEqual(jetton);
    expect(jetton).toHaveLength(1);
    expect(jetton[0]).toMatchObject({ deposit_address: B, source_address: friendly(w0.address), amount: "7000000", comment: "order 9" });
    expect((await a.get(`/v1/deposit/income?tx_hash=${jetton[0].tx_hash}`)).json.currency).toBe("jUSDT");

    const income = await a.get(`/v1/income?user_id=${user}`);
    expect(income.json).toEqual({
      counting_side: "deposit",
      total_income: [{ deposit_address: A, amount: "3250000000", currency: "TON" }, { deposit_address: B, amount: "7000000", currency: "jUSDT" }],
    });

    // balances: A holds coins but has no code (uninit); once its owner deploys the wallet, active; B's jetton balance
    const uninit = await a.get(`/v1/balance?currency=TON&address=${A}`);
    expect(uninit.json.status).toBe("uninit");
    expect(BigInt(uninit.json.balance)).toBeGreaterThan(toNano("3.2"));
    expect((await a.get(`/v1/balance?currency=jUSDT&address=${B}`)).json.balance).toBe("7000000");
    const idx = rows.find((x) => x.address === A)!.derivationIndex;
    const key = tonKeyPairAt(mnemonic, idx);
    const deposit = client.open(tonWalletOf(key.publicKey));
    await deposit.sendTransfer({ seqno: 0, secretKey: key.secretKey, messages: [internal({ to: w0.address, value: toNano("0.01"), bounce: false })] });
    await until("A deployed", async () => (await client.getContractState(Address.parse(A))).state === "active");
    expect((await a.get(`/v1/balance?currency=TON&address=${A}`)).json.status).toBe("active");
    // not the merchant's address: not found
    expect((await a.get(`/v1/balance?currency=TON&address=${friendly(w0.address)}`)).status).toBe(404);

    // sync from real block times
    const sync = await api().get("/v1/system/sync");
    expect(sync.json.networks.ton.is_synced).toBe(true);
    expect(Math.abs(sync.json.networks.ton.last_block_gen_utime - Date.now() / 1000)).toBeLessThan(15);

    // .ton names: wallet.ton's wallet record is test wallet 1, bounceable
    const resolved = await a.get("/v1/resolve?domain=wallet.ton");
    expect(resolved.status, resolved.text).toBe(200);
    expect(resolved.json.address).toBe(friendly((await wallet(1)).address, true));
    expect((await a.get("/v1/resolve?domain=nobody-here.ton")).status).toBe(404);
    expect((await a.get("/v1/resolve?domain=bad_name!.ton")).status).toBe(400);

    // payouts from the hot wallet out of the 3.25 TON credited: a text comment and a binary one, to a new (uninit) wallet;
    // the same query_id twice is one withdrawal
    const dest = WalletContractV4.create({ workchain: 0, publicKey: createHash("sha256").update(`ton-payee-${user}`).digest() }).address;
    const send1 = { user_id: user, query_id: "q1", currency: "TON", amount: "1000000000", destination: friendly(dest), comment: "payout 1" };
    const r1 = await a.post("/v1/withdrawal/send", send1);
    expect(r1.status, r1.text).toBe(200);
    const again = await a.post("/v1/withdrawal/send", send1);
    expect(again.json).toEqual(r1.json);
    const r2 = await a.post("/v1/withdrawal/send", { ...send1, query_id: "q2", amount: "500000000", comment: undefined, binary_comment: "9fe7_" });
    expect(r2.status, r2.text).toBe(200);
    const done = async (id: number) => until(`withdrawal ${id}`, async () => {
      const st = await a.get(`/v1/withdrawal/status?id=${id}`);
      if (st.json.status === "failed") throw new Error(st.text);
      return st.json.status === "processed" ? st.json : null;
    }, 30_000);
    const [s1, s2] = [await done(r1.json.ID), await done(r2.json.ID)];
    expect(s1).toMatchObject({ user_id: user, query_id: "q1", status: "processed" });
    expect(s1.tx_hash).toMatch(/^[0-9a-f]{64}$/);
    const arrived = (await client.getTransactions(dest, { limit: 10 })).map((t) => t.inMessage!);
    expect(arrived).toHaveLength(2);
    const values = arrived.map((m) => (m.info.type === "internal" ? m.info.value.coins : 0n)).sort((x, y) => (x < y ? -1 : 1));
    expect(values).toEqual([500_000_000n, 1_000_000_000n]);
    const bodies = arrived.map((m) => commentOf(m.body.beginParse())).sort();
    expect(bodies).toEqual(["9fe7_", "payout 1"]);
    // the hot wallet's transaction is the one reported (both, when one external message carried them)
    const hotTxs = (await client.getTransactions(hotWalletAddress(), { limit: 20 })).map((t) => t.hash().toString("hex"));
    expect(hotTxs).toContain(s1.tx_hash);
    expect(hotTxs).toContain(s2.tx_hash);

    // a payout asked for in the bounceable form of a wallet nobody deployed cannot bounce back: the destination is
    // stored in its non-bounceable form and paid that way, so the TON waits on the uninit wallet for its owner
    const ghost = WalletContractV4.create({ workchain: 0, publicKey: createHash("sha256").update(`ton-ghost-${user}`).digest() }).address;
    const r3 = await a.post("/v1/withdrawal/send", { user_id: user, query_id: "q3", currency: "TON", amount: "300000000", destination: friendly(ghost, true) });
    expect(r3.status, r3.text).toBe(200);
    expect((await done(r3.json.ID)).status).toBe("processed");
    const ghostTxs = await client.getTransactions(ghost, { limit: 5 });
    expect(ghostTxs.some((t) => t.description.type === "generic" && t.description.bouncePhase)).toBe(false);
    expect(await client.getBalance(ghost)).toBe(300_000_000n);
    expect((await client.getContractState(ghost)).state).toBe("uninitialized");
  });
});

describe("TON sweeps and jetton payouts (seed 001)", () => {
  it("sweeps an uninit wallet's TON and a wallet's jettons (gas funded by the hot wallet) with memos; pays jettons out with a comment once per query_id; refuses what a message cannot carry", async () => {
    const m = await newMerchant();
    const a = api(m.key);
    const user = `ton-sweep-${Date.now()}`;
    const T = (await a.post("/v1/address/new", { user_id: user, currency: "TON" })).json.address as string;
    const J = (await a.post("/v1/address/new", { user_id: user, currency: "jUSDT" })).json.address as string;
    const w0 = await wallet(0);
    // T: 2 TON, never deployed; J: 10 jUSDT, holding only the notification's 0.05 TON (too little for its own transfer)
    await sendFrom(0, { to: Address.parse(T), value: toNano("2"), body: "to sweep" });
    await sendFrom(0, { to: await jettonWalletOf(w0.address), value: toNano("0.2"), bounce: true, body: jettonTransfer(10_000_000n, Address.parse(J), w0.address, toNano("0.05"), "to sweep") });
    await until("both credits", async () => {
      const inc = (await a.get(`/v1/income?user_id=${user}`)).json.total_income as { amount: string }[] | undefined;
      return inc?.length === 2 && inc.every((i) => i.amount !== "0");
    });
    expect((await client.getContractState(Address.parse(T))).state).toBe("uninitialized");

    const hot = hotWalletAddress();
    const hotJettons0 = await jettonBalance(hot);
    // the seed's bodies as written (trailing commas included)
    const rs = await a.post("/v1/withdrawal/service/ton", `{\n"from": "${T}",\n}`, { "content-type": "application/json" });
    expect(rs.status, rs.text).toBe(200);
    expect(rs.json.memo).toMatch(/^[0-9a-f-]{36}$/);
    const rj = await a.post("/v1/withdrawal/service/jetton", `{\n"owner": "${J}",\n"jetton_master": "${DEVNET_TON_JETTON_MASTER}",\n}`, { "content-type": "application/json" });
    expect(rj.status, rj.text).toBe(200);
    expect(rj.json.memo).not.toBe(rs.json.memo);
    // bad input: 400, nothing queued
    const before = (await db().select().from(withdrawals).where(eq(withdrawals.merchantId, m.merchantId))).length;
    expect((await a.post("/v1/withdrawal/service/ton", { from: "not-an-address" })).status).toBe(400);
    expect((await a.post("/v1/withdrawal/service/jetton", { owner: J, jetton_master: friendly(w0.address, true) })).status).toBe(400);
    const bad = { user_id: user, query_id: "bad", currency: "jUSDT", amount: "1000000", destination: friendly(w0.address) };
    const longBinary = await a.post("/v1/withdrawal/send", { ...bad, binary_comment: "ab".repeat(130) });
    expect(longBinary.status, longBinary.text).toBe(400);
    expect(longBinary.json.error).toMatch(/binary_comment/);
    expect((await a.post("/v1/withdrawal/send", { ...bad, amount: (1n << 120n).toString() })).status).toBe(400);
    expect((await a.post("/v1/withdrawal/send", { ...bad, destination: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8" })).status).toBe(400);
    expect((await db().select().from(withdrawals).where(eq(withdrawals.merchantId, m.merchantId))).length).toBe(before);

    const processed = (memo: string) => until(`sweep ${memo}`, async () => {
      const [w] = await db().select().from(withdrawals).where(eq(withdrawals.memo, memo));
      if (w.status === "failed") throw new Error(`sweep failed: ${w.reason}`);
      return w.status === "processed" ? w : null;
    }, 30_000);
    const [sweptTon, sweptJetton] = [await processed(rs.json.memo), await processed(rj.json.memo)];
    // T: deployed by the sweep's own message, everything sent to the hot wallet with the memo as comment
    expect((await client.getContractState(Address.parse(T))).state).toBe("active");
    expect(await client.getBalance(Address.parse(T))).toBe(0n);
    const hotTxs = await client.getTransactions(hot, { limit: 30 });
    const fromT = hotTxs.find((t) => t.inMessage?.info.type === "internal" && t.inMessage.info.src.equals(Address.parse(T)))!;
    expect(fromT).toBeDefined();
    expect(commentOf(fromT.inMessage!.body.beginParse())).toBe(rs.json.memo);
    const [tonRow] = await db().select().from(outboundTxs).where(and(eq(outboundTxs.withdrawalId, sweptTon.id), eq(outboundTxs.purpose, "sweep")));
    expect(tonRow).toMatchObject({ status: "confirmed", fromAddress: T });
    if (fromT.inMessage!.info.type !== "internal") throw new Error("unreachable");
    expect(tonRow.amount).toBe(fromT.inMessage!.info.value.coins);
    expect(tonRow.amount).toBeGreaterThan(toNano("1.9"));
    // J: the hot wallet funded its gas first (recorded, not income), then all 10 jUSDT went to the hot wallet
    const jRows = await db().select().from(outboundTxs).where(eq(outboundTxs.withdrawalId, sweptJetton.id));
    expect(jRows.map((r) => `${r.purpose}:${r.status}`).sort()).toEqual(["gas_funding:confirmed", "sweep:confirmed"]);
    expect(jRows.find((r) => r.purpose === "sweep")).toMatchObject({ fromAddress: J, amount: 10_000_000n });
    expect(await jettonBalance(Address.parse(J))).toBe(0n);
    expect(await jettonBalance(hot)).toBe(hotJettons0 + 10_000_000n);
    expect((await a.get(`/v1/deposit/history?user_id=${user}&currency=TON&limit=10&offset=0&sort_order=asc`)).json.incomes
      .filter((i: { deposit_address: string }) => i.deposit_address === J)).toEqual([]);

    // a jetton payout out of the merchant's 10 jUSDT, to a wallet that does not exist yet; the same query_id twice is one payout
    const dest = WalletContractV4.create({ workchain: 0, publicKey: createHash("sha256").update(`ton-jetton-payee-${user}`).digest() }).address;
    const send = { user_id: user, query_id: "jq1", currency: "jUSDT", amount: "4000000", destination: friendly(dest), comment: "jetton payout" };
    const p1 = await a.post("/v1/withdrawal/send", send);
    expect(p1.status, p1.text).toBe(200);
    expect((await a.post("/v1/withdrawal/send", send)).json).toEqual(p1.json);
    const st = await until("the jetton payout", async () => {
      const r = await a.get(`/v1/withdrawal/status?id=${p1.json.ID}`);
      if (r.json.status === "failed") throw new Error(r.text);
      return r.json.status === "processed" ? r.json : null;
    }, 30_000);
    expect(st).toMatchObject({ query_id: "jq1", status: "processed" });
    expect(await jettonBalance(dest)).toBe(4_000_000n);
    expect(await jettonBalance(hot)).toBe(hotJettons0 + 6_000_000n);
    // the recipient got a transfer_notification from its jetton wallet with the comment
    const note = (await client.getTransactions(dest, { limit: 5 })).find((t) => {
      const b = t.inMessage?.body.beginParse();
      return b && b.remainingBits >= 32 && b.preloadUint(32) === 0x7362d09c;
    })!;
    expect(note).toBeDefined();
    const nb = note.inMessage!.body.beginParse().skip(32 + 64);
    expect(nb.loadCoins()).toBe(4_000_000n);
    expect(nb.loadAddress().equals(hot)).toBe(true);
    expect((nb.loadBit() ? nb.loadRef().beginParse() : nb).skip(32).loadStringTail()).toBe("jetton payout");
    expect(await db().select().from(withdrawals).where(and(eq(withdrawals.merchantId, m.merchantId), eq(withdrawals.kind, "payout")))).toHaveLength(1);

    // a jetton payout no jetton wallet can make (to a masterchain owner: the hot wallet's jetton wallet refuses it and the
    // transfer bounces back) is failed, never processed; the merchant's jUSDT is available again, the hot wallet still holds it
    const available = async () => (await a.get("/v1/balance?currency=jUSDT")).json.balance as string;
    const availableBefore = await available();
    const mc = `-1:${createHash("sha256").update(`ton-mc-payee-${user}`).digest("hex")}`;
    const pb = await a.post("/v1/withdrawal/send", { user_id: user, query_id: "jq-bounce", currency: "jUSDT", amount: "1000000", destination: mc, comment: "will bounce" });
    expect(pb.status, pb.text).toBe(200);
    expect(await available()).toBe(String(BigInt(availableBefore) - 1_000_000n));
    const bouncedStatus = await until("the bounced payout failed", async () => {
      const r = await a.get(`/v1/withdrawal/status?id=${pb.json.ID}`);
      if (r.json.status === "processed") throw new Error(`a bounced payout was reported processed: ${r.text}`);
      return r.json.status === "failed" ? r.json : null;
    }, 30_000);
    expect(bouncedStatus).toMatchObject({ query_id: "jq-bounce", status: "failed" });
    const [bouncedRow] = await db().select().from(outboundTxs).where(eq(outboundTxs.withdrawalId, BigInt(pb.json.ID)));
    expect(bouncedRow).toMatchObject({ status: "failed", purpose: "withdrawal" });
    expect(bouncedRow.error).toMatch(/refused the transfer/);
    expect(await available()).toBe(availableBefore);
    expect(await jettonBalance(hot)).toBe(hotJettons0 + 6_000_000n);

    // only the sweep's own gas funding is not income: other TON from the hot wallet is, even with a look-alike comment
    // (the API never pays a deposit address; here the operator sends from the hot wallet's key, now idle)
    const T2 = (await a.post("/v1/address/new", { user_id: user, currency: "TON" })).json.address as string;
    // (a highload external message of its own, with a query id far from the engine's counter)
    const queryId = (1 << 23) - 1 - Math.floor(Math.random() * 1000);
    const batch = highloadBatch(hot, queryId, [internal({ to: Address.parse(T2), value: toNano("0.3"), bounce: false, body: `gas: ${rj.json.memo}` })]);
    await client.sendMessage(external({ to: hot, body: highloadBody(tonKeyPairAt(mnemonic, 0), { queryId, createdAt: Math.floor(Date.now() / 1000) - 30, ...batch }) }));
    const credit = await until("the hot wallet's TON credited", async () => {
      const h = (await a.get(`/v1/deposit/history?user_id=${user}&currency=TON&limit=10&offset=0&sort_order=asc`)).json.incomes as { deposit_address: string }[];
      return h.find((i) => i.deposit_address === T2);
    });
    expect(credit).toMatchObject({ amount: "300000000", source_address: friendly(hot) });
  });
});

describe("TON payouts from the highload hot wallet", () => {
  it("50 payouts of 10 merchants leave in ONE external message (signed, then the worker 'killed' before broadcast: the next pass sends the stored bytes); a re-broadcast pays nobody twice", async () => {
    const chain = tonChain();
    // 10 merchants with 1 TON each on a deposit address (the queue takes each merchant's oldest 5 per pass: 50 in all)
    const merchants = await Promise.all(Array.from({ length: 10 }, async (_, k) => {
      const m = await newMerchant();
      const a = api(m.key);
      const user = `ton-batch-${k}-${Date.now()}`;
      const D = (await a.post("/v1/address/new", { user_id: user, currency: "TON" })).json.address as string;
      return { a, user, D };
    }));
    const w1 = await wallet(1);
    for (let i = 0; i < merchants.length; i += 4) {
      const seqno = await w1.contract.getSeqno();
      await w1.contract.sendTransfer({ seqno, secretKey: w1.key.secretKey, sendMode: SendMode.PAY_GAS_SEPARATELY,
        messages: merchants.slice(i, i + 4).map((x) => internal({ to: Address.parse(x.D), value: toNano("1"), bounce: false, body: "to pay out" })) });
      await until("the wallet's seqno", async () => (await w1.contract.getSeqno()) > seqno);
    }
    for (const x of merchants) await until("the credit", async () => (await x.a.get(`/v1/income?user_id=${x.user}`)).json.total_income?.[0]?.amount === "1000000000");
    const hot = hotWalletAddress();
    // the stack's worker kept out (its withdrawal passes, and its forward passes, which reconcile every TON row): this test runs the passes
    const leases = new Leases();
    await until("the withdrawal lease", () => leases.tryAcquire(withdrawalLease(chain)), 30_000);
    await until("the forwarding lease", () => leases.tryAcquire(forwardingLease(chain)), 30_000);
    try {
      const payees = Array.from({ length: 50 }, (_, i) => WalletContractV4.create({ workchain: 0, publicKey: createHash("sha256").update(`ton-batch-payee-${merchants[0].user}-${i}`).digest() }).address);
      const sent: (Awaited<ReturnType<(typeof merchants)[number]["a"]["post"]>> & { a: (typeof merchants)[number]["a"] })[] = [];
      for (const [i, to] of payees.entries()) {
        const { a, user } = merchants[i % 10];
        const r = await a.post("/v1/withdrawal/send", { user_id: user, query_id: `b${i}`, currency: "TON", amount: String(50_000_000 + i), destination: friendly(to), comment: `batch ${i}` });
        expect(r.status, r.text).toBe(200);
        sent.push(Object.assign(r, { a }));
      }
      const ids = sent.map((r) => BigInt(r.json.ID));
      const rowsOf = () => db().select().from(outboundTxs).where(inArray(outboundTxs.withdrawalId, ids));
      const hotTxCount = async () => (await client.getTransactions(hot, { limit: 1000 })).length;
      const before = await hotTxCount();

      // signed and recorded, never broadcast (as if the worker died right after the commit)
      await withdrawalTick(chain, { mnemonic, lease: false, broadcast: false });
      const signed = await rowsOf();
      expect(signed).toHaveLength(50);
      expect(new Set(signed.map((r) => r.signedTx)).size).toBe(1); // ONE external message
      expect(signed.every((r) => r.status === "signed")).toBe(true);
      expect(signed.filter((r) => r.nonce !== null)).toHaveLength(1);
      const statuses0 = await Promise.all(sent.map(async (r) => (await r.a.get(`/v1/withdrawal/status?id=${r.json.ID}`)).json.status));
      expect(new Set(statuses0)).toEqual(new Set(["processing"]));
      await new Promise((r) => setTimeout(r, 1500));
      expect(await hotTxCount()).toBe(before);

      // the next pass finds it never ran, still valid: sends the stored bytes (once)
      await until("all processed", async () => {
        await withdrawalTick(chain, { mnemonic, lease: false });
        const all = await Promise.all(sent.map(async (r) => (await r.a.get(`/v1/withdrawal/status?id=${r.json.ID}`)).json));
        if (all.some((x) => x.status === "failed")) throw new Error(JSON.stringify(all.filter((x) => x.status === "failed")));
        return all.every((x) => x.status === "processed");
      }, 40_000);
      const rows = await rowsOf();
      expect(rows.every((r) => r.status === "confirmed" && r.signedTx === signed[0].signedTx)).toBe(true);
      // two hot wallet transactions: the external message's (its self-message with the whole balance) and the batch's, which sent all 50
      expect(await hotTxCount()).toBe(before + 2);
      const hotTxs = await client.getTransactions(hot, { limit: 5 });
      const batchTx = hotTxs.find((t) => t.hash().toString("hex") === rows[0].txHash)!;
      expect(batchTx).toBeDefined();
      expect(new Set(rows.map((r) => r.txHash)).size).toBe(1);
      expect(batchTx.outMessages.size).toBe(50);
      const extTx = hotTxs.find((t) => t.inMessage?.info.type === "external-in" && t.lt < batchTx.lt && t.inMessage.body.hash().equals(loadMessage(Cell.fromBase64(signed[0].signedTx!).beginParse()).body.hash()))!;
      expect(extTx).toBeDefined();
      for (const [i, r] of sent.entries()) {
        expect((await r.a.get(`/v1/withdrawal/status?id=${r.json.ID}`)).json).toMatchObject({ query_id: `b${i}`, status: "processed", tx_hash: batchTx.hash().toString("hex") });
      }
      // the fee shares add up to both transactions' costs
      const cost = (t: typeof batchTx) => {
        const d = t.description;
        return t.totalFees.coins + (d.type === "generic" ? (d.actionPhase?.totalFwdFees ?? 0n) - (d.actionPhase?.totalActionFees ?? 0n) : 0n);
      };
      expect(rows.reduce((sum, r) => sum + r.feePaid!, 0n)).toBe(cost(extTx) + cost(batchTx));

      // the same signed bytes again: the wallet refuses the spent query id, nobody is paid twice
      await expect(client.sendFile(Buffer.from(signed[0].signedTx!, "base64"))).rejects.toThrow();
      await new Promise((r) => setTimeout(r, 2500));
      expect(await hotTxCount()).toBe(before + 2);
      for (const [i, to] of payees.entries()) {
        const txs = await client.getTransactions(to, { limit: 5 });
        expect(txs, `payee ${i}`).toHaveLength(1);
        const msg = txs[0].inMessage!;
        expect(msg.info.type === "internal" && msg.info.value.coins).toBe(BigInt(50_000_000 + i));
        expect(commentOf(msg.body.beginParse())).toBe(`batch ${i}`);
      }
      expect(rows.map((r) => r.status)).toEqual(rows.map(() => "confirmed"));
    } finally {
      await leases.close();
    }
  }, 120_000);
});

describe("TON watcher cost", () => {
  it("reads a block with the same calls whatever the number of deposit addresses", async () => {
    // a live-mode view of the devnet: the stack's worker watches test mode, this watcher has the live rows to itself
    const chain: ChainConfig = {
      key: "ton", network: "ton", family: "ton", livemode: true, chainId: null, rpcUrls: [inject("testEnv").rpcTon], publicRpcUrl: null,
      confirmations: 1, maxLagSeconds: 30, enabled: true, assets: { TON: null, jUSDT: DEVNET_TON_JETTON_MASTER },
    };
    const m = await newMerchant();
    const addReceivers = async (n: number) => {
      await db().insert(receivers).values(Array.from({ length: n }, () => {
        const k = createHash("sha256").update(`cost-${Math.random()}`).digest();
        return {
          merchantId: m.merchantId, livemode: true, family: "ton" as const, checkoutId: null, watchUntil: null,
          address: WalletContractV4.create({ workchain: 0, publicKey: k }).address.toString({ urlSafe: true, bounceable: false }),
          derivationIndex: BigInt(2 ** 30 + k.readUInt32BE(0) % 2 ** 29),
        };
      }));
    };
    let calls = 0;
    const real = tonApi(chain);
    const watcher = new TonWatcher(chain, { api: { client: real.client, call: (method, params) => { calls++; return real.call(method, params); } } });
    try {
      await addReceivers(1);
      await watcher.tick(); // the cursor starts at the head
      const perBlock = async () => {
        await new Promise((r) => setTimeout(r, 1600));
        calls = 0;
        const r = await watcher.tick();
        expect(r.blocks).toBeGreaterThan(0);
        return (calls - 1) / r.blocks; // 1: the masterchain head
      };
      const one = await perBlock();
      await addReceivers(300);
      const many = await perBlock();
      // header, shards and one shard block's transactions per block: nothing per address
      expect(one).toBe(3);
      expect(many).toBe(one);
    } finally {
      await db().delete(receivers).where(and(eq(receivers.merchantId, m.merchantId), eq(receivers.livemode, true)));
      await db().delete(networkStatus).where(and(eq(networkStatus.network, "ton"), eq(networkStatus.livemode, true)));
    }
  });
});

describe.concurrent("TON in checkouts", () => {
  const rates = inject("testEnv").ratesUrl;
  /** a wallet nobody deployed: the merchant's TON settlement address (its jetton wallet is made by the first transfer) */
  const merchantWallet = (tag: string) => WalletContractV4.create({ workchain: 0, publicKey: createHash("sha256").update(`ton-merchant-${tag}-${Date.now()}`).digest() }).address;
  const hotAddress = hotWalletAddress;
  const outbound = (checkoutId: string) => db().select().from(outboundTxs).where(eq(outboundTxs.checkoutId, checkoutId)).orderBy(outboundTxs.createdAt);

  it("a seed-004 payment in USDT on TON priced in EUR, paid by an independent client to its own receiver → DEPOSITED, forwarded whole to the TON settlement address", async () => {
    const m = await newMerchant();
    const settlement = merchantWallet("payment");
    await db().insert(settlementAddresses).values({ merchantId: m.merchantId, network: "ton", livemode: false, address: friendly(settlement) });
    await setStandInPrices(rates, { "USDT-EUR": "0.913085" });
    const created = await api(m.key).post("/v1/payments", { clientPaymentId: `ton-${Date.now()}`, displayCurrency: "EUR", displayAmount: "20" });
    expect(created.status, created.text).toBe(201);
    const id = created.json.paymentInfo.paymentId as string;
    const submitted = await api(m.key).patch(`/v1/payments/${id}`, { depositCurrency: "USDT", network: "TON" });
    expect(submitted.status, submitted.text).toBe(200);
    const info = submitted.json.paymentInfo;
    expect(info).toMatchObject({ status: "PENDING", depositCurrency: "USDT", expectedNetwork: "TON" });
    const R = info.walletAddress as string;
    // a receiver of the payment's own from the key pool: non-bounceable, test-only, wallet v4r2 of m/44'/607'/i'
    expect(R).toMatch(/^0Q[A-Za-z0-9_-]{46}$/);
    const [rec] = await db().select().from(receivers).where(eq(receivers.checkoutId, id));
    expect(rec).toMatchObject({ family: "ton", address: R });
    expect(Address.parse(R).toRawString()).toBe(tonAddressAt(mnemonic, rec.derivationIndex));
    const units = BigInt(Math.round(Number(info.expectedDepositAmount) * 1e6));
    expect(units).toBeGreaterThan(21_000_000n); // 20 EUR at 0.913085 EUR per USDT

    // the payer's own wallet sends the jetton with a notification (no comment: the address is the payment's)
    const payer = await wallet(1);
    await sendFrom(1, { to: await jettonWalletOf(payer.address), value: toNano("0.2"), bounce: true, body: jettonTransfer(units, Address.parse(R), payer.address, toNano("0.05")) });
    const done = await until("DEPOSITED", async () => {
      const p = (await api(m.key).get(`/v1/payments/${id}`)).json.paymentInfo;
      return p.status === "DEPOSITED" ? p : null;
    }, 40_000);
    expect(done).toMatchObject({ depositCurrency: "USDT", expectedNetwork: "TON" });
    expect(await jettonBalance(settlement)).toBe(units);
    expect(await jettonBalance(Address.parse(R))).toBe(0n);
    // one deposit: the hot wallet's gas for the receiver's jetton transfer is ours, not a payment
    const deps = await db().select().from(deposits).where(eq(deposits.checkoutId, id));
    expect(deps).toHaveLength(1);
    expect(deps[0]).toMatchObject({ network: "ton", toAddress: R, fromAddress: friendly(payer.address), tokenAddress: DEVNET_TON_JETTON_MASTER, assetCode: "jUSDT", amount: units, status: "confirmed" });
    const rows = await outbound(id);
    expect(rows.map((r) => `${r.purpose}:${r.status}`)).toEqual(["gas_funding:confirmed", "forward:confirmed"]);
    expect(rows[0]).toMatchObject({ fromAddress: friendly(hotAddress()), toAddress: R, tokenAddress: null });
    expect(rows[1]).toMatchObject({ fromAddress: R, toAddress: friendly(settlement), tokenAddress: DEVNET_TON_JETTON_MASTER, amount: units });
    for (const r of rows) expect(r.feePaid).toBeGreaterThan(0n);
    // the forward's hash is the receiver's own transaction; its cost is that transaction's fees and the TON its
    // jetton transfer attached (0.05 TON) less the excess that came back to the hot wallet
    const run = (await client.getTransactions(Address.parse(R), { limit: 10 })).find((t) => t.hash().toString("hex") === rows[1].txHash)!;
    expect(run).toBeDefined();
    const d = run.description;
    const txCost = run.totalFees.coins + (d.type === "generic" ? (d.actionPhase?.totalFwdFees ?? 0n) - (d.actionPhase?.totalActionFees ?? 0n) : 0n);
    expect(rows[1].feePaid!).toBeGreaterThan(txCost);
    expect(rows[1].feePaid!).toBeLessThan(txCost + toNano("0.05"));
  });

  it("a seed-004 payment in TON itself: the uninit receiver is deployed by its forward, which sends everything it holds less the fees", async () => {
    const m = await newMerchant();
    const settlement = merchantWallet("ton-payment");
    await db().insert(settlementAddresses).values({ merchantId: m.merchantId, network: "ton", livemode: false, address: friendly(settlement) });
    await setStandInPrices(rates, { "TON-EUR": "4" });
    const created = await api(m.key).post("/v1/payments", { clientPaymentId: `ton-native-${Date.now()}`, displayCurrency: "EUR", displayAmount: "10" });
    const id = created.json.paymentInfo.paymentId as string;
    const submitted = await api(m.key).patch(`/v1/payments/${id}`, { depositCurrency: "TON", network: "TON" });
    expect(submitted.status, submitted.text).toBe(200);
    const info = submitted.json.paymentInfo;
    expect(info).toMatchObject({ status: "PENDING", depositCurrency: "TON", expectedNetwork: "TON", expectedDepositAmount: "2.5" });
    const R = info.walletAddress as string;
    // (test wallet 0: the other payments here pay from wallets 1 and 2 at the same time)
    await sendFrom(0, { to: Address.parse(R), value: toNano("2.5") });
    await until("DEPOSITED", async () => (await api(m.key).get(`/v1/payments/${id}`)).json.paymentInfo.status === "DEPOSITED", 40_000);
    const rows = await outbound(id);
    expect(rows.map((r) => `${r.purpose}:${r.status}`)).toEqual(["forward:confirmed"]);
    const [forward] = rows;
    const arrived = await client.getBalance(settlement);
    expect(forward).toMatchObject({ fromAddress: R, toAddress: friendly(settlement), tokenAddress: null, amount: arrived });
    expect(arrived).toBeGreaterThan(toNano("2.49"));
    // exact: what arrived and the fees recorded are what the receiver was paid
    expect(arrived + forward.feePaid!).toBe(toNano("2.5"));
    const state = await client.getContractState(Address.parse(R));
    expect(state.state).toBe("active");
    expect(state.balance).toBe(0n);

    // paid again after it was forwarded: the merchant refunds it (the payments dialect), everything, to the payer — the
    // receiver sends all it holds with mode 128 (fees out of it) and the refund is what arrived
    const payer = (await wallet(0)).address;
    await sendFrom(0, { to: Address.parse(R), value: toNano("0.7"), body: "late" });
    await until("the late deposit", async () => (await db().select().from(deposits).where(eq(deposits.checkoutId, id))).filter((d) => d.status === "confirmed").length === 2);
    // (what it holds: the 0.7 TON less its own transaction's fees, the wallet being deployed now)
    const held = await client.getBalance(Address.parse(R));
    const refund = await api(m.key).post(`/v1/payments/${id}/refund`, { address: friendly(payer) });
    expect(refund.status, refund.text).toBe(200);
    const action = await until("the refund done", async () => {
      const [x] = await db().select().from(checkoutActions).where(eq(checkoutActions.id, refund.json.refund.id));
      if (x.status === "failed") throw new Error(`refund failed: ${x.error}`);
      return x.status === "done" ? x : null;
    }, 40_000);
    expect(action.amount).toBeNull();
    const [refundRow] = await db().select().from(outboundTxs).where(eq(outboundTxs.id, action.outboundTxId!));
    const back = (await client.getTransactions(payer, { limit: 20 })).find((t) => t.inMessage?.info.type === "internal" && t.inMessage.info.src.equals(Address.parse(R)))!;
    expect(back).toBeDefined();
    expect(refundRow).toMatchObject({ purpose: "refund", status: "confirmed", tokenAddress: null, amount: back.inMessage!.info.type === "internal" ? back.inMessage!.info.value.coins : -1n });
    expect(held).toBeLessThan(toNano("0.7"));
    expect(refundRow.amount + refundRow.feePaid!).toBe(held);
    expect(await client.getBalance(Address.parse(R))).toBe(0n);
  });

  it("a session paid with USDT on TON (the ton method, a receiver of its own) → succeeded, delivered on TON with the forward's hash", async () => {
    const m = await newMerchant();
    const settlement = merchantWallet("session");
    await db().insert(settlementAddresses).values({ merchantId: m.merchantId, network: "ton", livemode: false, address: friendly(settlement) });
    const created = await api(m.key).post("/v1/sessions", {
      destination: { type: "evm", address: "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", chainId: 31337, tokenAddress: DEVNET_TOKEN_ADDRESSES.USDC, amountUnits: "5" },
    });
    expect(created.status, created.text).toBe(201);
    const s = created.json.session as { sessionId: string; clientSecret: string };
    const chosen = await api().post(`/v1/sessions/${s.sessionId}/paymentMethods`, { clientSecret: s.clientSecret, paymentMethod: { type: "ton" } });
    expect(chosen.status, chosen.text).toBe(200);
    const R = chosen.json.ton.receiverAddress as string;
    expect(R).toMatch(/^0Q[A-Za-z0-9_-]{46}$/);
    expect(chosen.json.session).toMatchObject({ status: "waiting_payment", paymentMethod: { type: "ton", receiverAddress: R } });
    // the hosted page's QR for it: a ton://transfer link with the jetton and the amount
    expect(ton.promptUri({ receiver: R, token: DEVNET_TON_JETTON_MASTER, decimals: 6, units: 5_000_000n }))
      .toBe(`ton://transfer/${R}?jetton=${DEVNET_TON_JETTON_MASTER}&amount=5000000`);

    // (test wallet 2: the payment above pays from wallet 1 at the same time)
    const payer = await wallet(2);
    await sendFrom(2, { to: await jettonWalletOf(payer.address), value: toNano("0.2"), bounce: true, body: jettonTransfer(5_000_000n, Address.parse(R), payer.address, toNano("0.05")) });
    const done = await until("succeeded", async () => {
      const r = (await api(m.key).get(`/v1/sessions/${s.sessionId}`)).json.session;
      return r.status === "succeeded" ? r : null;
    }, 60_000).catch(async (err) => {
      const rows = await outbound(s.sessionId);
      const deps = await db().select().from(deposits).where(eq(deposits.checkoutId, s.sessionId));
      const session = (await api(m.key).get(`/v1/sessions/${s.sessionId}`)).json.session;
      throw new Error(`${err}: session ${session.status}; deposits ${JSON.stringify(deps.map((d) => [d.assetCode, String(d.amount), d.status]))}; ` +
        `outbound ${JSON.stringify(rows.map((r) => [r.purpose, r.status, r.error, r.createdAt]))}`);
    });
    const rows = await outbound(s.sessionId);
    const forward = rows.find((r) => r.purpose === "forward")!;
    expect(done.destination.delivery).toEqual({
      txHash: forward.txHash, receivedUnits: "5", chainId: null, chainName: "ton", tokenAddress: DEVNET_TON_JETTON_MASTER, tokenSymbol: "USDT", status: "delivered",
    });
    expect(done.paymentMethod.source).toMatchObject({ address: friendly(payer.address), chainName: "ton", tokenSymbol: "USDT", sentUnits: "5" });
    expect(await jettonBalance(settlement)).toBe(5_000_000n);
    const types = (await db().select({ type: events.type }).from(events).where(eq(events.objectId, s.sessionId)).orderBy(events.createdAt)).map((e) => e.type);
    expect(types).toEqual(["session.processing", "session.succeeded"]);
  });
});

describe("TON refunds of checkouts", () => {
  it("a succeeded USDT-on-TON session: a late jetton payment and then TON sent to its receiver are refunded to the payer from the receiver (the jetton's gas funded by the hot wallet)", async () => {
    const m = await newMerchant();
    const settlement = WalletContractV4.create({ workchain: 0, publicKey: createHash("sha256").update(`ton-refund-merchant-${Date.now()}`).digest() }).address;
    await db().insert(settlementAddresses).values({ merchantId: m.merchantId, network: "ton", livemode: false, address: friendly(settlement) });
    const created = await api(m.key).post("/v1/sessions", {
      destination: { type: "evm", address: "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", chainId: 31337, tokenAddress: DEVNET_TOKEN_ADDRESSES.USDC, amountUnits: "3" },
    });
    expect(created.status, created.text).toBe(201);
    const s = created.json.session as { sessionId: string; clientSecret: string };
    const chosen = await api().post(`/v1/sessions/${s.sessionId}/paymentMethods`, { clientSecret: s.clientSecret, paymentMethod: { type: "ton" } });
    expect(chosen.status, chosen.text).toBe(200);
    const R = Address.parse(chosen.json.ton.receiverAddress as string);
    const payer = await wallet(2);
    // nothing to refund while it is open
    expect((await api(m.key).post(`/v1/sessions/${s.sessionId}/refund`, { address: friendly(payer.address) })).status).toBe(409);
    await sendFrom(2, { to: await jettonWalletOf(payer.address), value: toNano("0.2"), bounce: true, body: jettonTransfer(3_000_000n, R, payer.address, 1n) });
    await until("succeeded", async () => (await api(m.key).get(`/v1/sessions/${s.sessionId}`)).json.session.status === "succeeded", 40_000);
    expect(await jettonBalance(settlement)).toBe(3_000_000n);

    // paid again, late: 2 USDT stay on the receiver
    // (1 nanoton forward: the notification arrives, and the receiver keeps too little TON for its own jetton transfer)
    await sendFrom(2, { to: await jettonWalletOf(payer.address), value: toNano("0.2"), bounce: true, body: jettonTransfer(2_000_000n, R, payer.address, 1n) });
    await until("the late deposit", async () => (await db().select().from(deposits).where(eq(deposits.checkoutId, s.sessionId))).filter((d) => d.status === "confirmed").length === 2);
    expect(await jettonBalance(R)).toBe(2_000_000n);
    const payerJettons = await jettonBalance(payer.address);
    // a bad address: 400, nothing asked
    expect((await api(m.key).post(`/v1/sessions/${s.sessionId}/refund`, { address: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8" })).status).toBe(400);
    const r1 = await api(m.key).post(`/v1/sessions/${s.sessionId}/refund`, { address: friendly(payer.address) });
    expect(r1.status, r1.text).toBe(200);
    expect(r1.json.refund).toMatchObject({ status: "pending", network: "ton", toAddress: friendly(payer.address), amountUnits: null });
    const done1 = await until("the jetton refund done", async () => {
      const [a] = await db().select().from(checkoutActions).where(eq(checkoutActions.id, r1.json.refund.id));
      if (a.status === "failed") throw new Error(`refund failed: ${a.error}`);
      return a.status === "done" ? a : null;
    }, 60_000);
    expect(done1.amount).toBe(2_000_000n);
    expect(await jettonBalance(payer.address)).toBe(payerJettons + 2_000_000n);
    expect(await jettonBalance(R)).toBe(0n);
    const rows = await db().select().from(outboundTxs).where(eq(outboundTxs.checkoutId, s.sessionId)).orderBy(outboundTxs.createdAt);
    const refundRow = rows.find((r) => r.id === done1.outboundTxId)!;
    expect(refundRow).toMatchObject({ purpose: "refund", status: "confirmed", fromAddress: friendly(R), toAddress: friendly(payer.address), tokenAddress: DEVNET_TON_JETTON_MASTER, amount: 2_000_000n });
    // the receiver's TON did not cover the transfer's gas: the hot wallet funded it after the refund was asked for
    expect(rows.filter((r) => r.purpose === "gas_funding" && r.createdAt >= done1.createdAt).map((r) => r.status)).toEqual(["confirmed"]);
    // the payer's wallet was notified with the refund's comment
    const note = (await client.getTransactions(payer.address, { limit: 20 })).find((t) => {
      const b = t.inMessage?.body.beginParse();
      return b && b.remainingBits >= 32 && b.preloadUint(32) === 0x7362d09c && b.skip(32 + 64) && b.loadCoins() === 2_000_000n && b.loadAddress().equals(R);
    })!;
    expect(note).toBeDefined();
    const nb = note.inMessage!.body.beginParse().skip(32 + 64);
    nb.loadCoins();
    nb.loadAddress();
    expect((nb.loadBit() ? nb.loadRef().beginParse() : nb).skip(32).loadStringTail()).toBe(`Tollgate refund ${s.sessionId}`);
    // nothing left of the jetton
    expect((await api(m.key).post(`/v1/sessions/${s.sessionId}/refund`, { address: friendly(payer.address) })).status).toBe(409);

    // TON sent to the USDT session (does not count): 1 TON of it back, fees on top from the receiver
    await sendFrom(2, { to: R, value: toNano("1.5"), body: "oops" });
    await until("the TON deposit", async () => (await db().select().from(deposits).where(and(eq(deposits.checkoutId, s.sessionId), eq(deposits.assetCode, "TON")))).some((d) => d.status === "confirmed"));
    expect((await api(m.key).post(`/v1/sessions/${s.sessionId}/refund`, { address: friendly(payer.address), amountUnits: "2" })).status).toBe(400);
    const before = await client.getBalance(payer.address);
    const r2 = await api(m.key).post(`/v1/sessions/${s.sessionId}/refund`, { address: friendly(payer.address), amountUnits: "1" });
    expect(r2.status, r2.text).toBe(200);
    const done2 = await until("the TON refund done", async () => {
      const [a] = await db().select().from(checkoutActions).where(eq(checkoutActions.id, r2.json.refund.id));
      if (a.status === "failed") throw new Error(`refund failed: ${a.error}`);
      return a.status === "done" ? a : null;
    }, 60_000);
    const [tonRow] = await db().select().from(outboundTxs).where(eq(outboundTxs.id, done2.outboundTxId!));
    expect(tonRow).toMatchObject({ purpose: "refund", status: "confirmed", tokenAddress: null, amount: toNano("1") });
    const got = (await client.getTransactions(payer.address, { limit: 10 })).find((t) => t.inMessage?.info.type === "internal" && t.inMessage.info.src.equals(R) && commentOf(t.inMessage.body.beginParse()) === `Tollgate refund ${s.sessionId}`)!;
    expect(got.inMessage!.info.type === "internal" && got.inMessage!.info.value.coins).toBe(toNano("1"));
    expect(await client.getBalance(payer.address)).toBeGreaterThan(before);
    const view = await api(m.key).get(`/v1/sessions/${s.sessionId}`);
    expect(view.json.session.status).toBe("succeeded");
    const types = (await db().select({ type: events.type }).from(events).where(eq(events.objectId, s.sessionId)).orderBy(events.createdAt)).map((e) => e.type);
    expect(types.filter((t) => t.startsWith("session.refund"))).toEqual(["session.refund_requested", "session.refunded", "session.refund_requested", "session.refunded"]);
  }, 150_000);
});

describe("TON jetton transfers that bounce further down the chain", () => {
  it("a payout the recipient's jetton wallet refuses is failed, not confirmed, and the jettons are back; one it takes is confirmed (a devnet of this test's own, in live mode)", async () => {
    // a devnet of its own: the recipient's jetton wallet is set up holding 2^120 - 1 units, so taking more overflows its
    // balance (a range check in its compute phase): it bounces internal_transfer back to the sender's jetton wallet
    const d = await startTonDevnet({ port: 0, blockMs: 300 });
    try {
      const chain: ChainConfig = {
        key: "ton", network: "ton", family: "ton", livemode: true, chainId: null, rpcUrls: [d.endpoint], publicRpcUrl: null,
        confirmations: 1, maxLagSeconds: 30, enabled: true, assets: { TON: null, jUSDT: DEVNET_TON_JETTON_MASTER },
      };
      const m = await newMerchant();
      const hot = hotSender(chain, mnemonic);
      await d.fund(hot.address, toNano("10"));
      const hotJetton = jettonWalletAddress(hot.wallet.address, master);
      await d.blockchain.setShardAccount(hotJetton, createShardAccount({ address: hotJetton, code: tonContracts.jettonWallet, data: jettonWalletData(50_000_000n, hot.wallet.address, master), balance: toNano("0.1") }));
      const full = WalletContractV4.create({ workchain: 0, publicKey: createHash("sha256").update(`ton-full-${Date.now()}`).digest() }).address;
      const fullJetton = jettonWalletAddress(full, master);
      await d.blockchain.setShardAccount(fullJetton, createShardAccount({ address: fullJetton, code: tonContracts.jettonWallet, data: jettonWalletData((1n << 120n) - 1n, full, master), balance: toNano("0.1") }));
      const fine = WalletContractV4.create({ workchain: 0, publicKey: createHash("sha256").update(`ton-fine-${Date.now()}`).digest() }).address;
      const c = new TonClient({ endpoint: d.endpoint });
      const unitsOf = async (jw: Address) => (await c.runMethod(jw, "get_wallet_data")).stack.readBigNumber();

      // one external message of the hot wallet: 5 units to each (the engine's jetton payout message)
      const payout = (i: number, to: Address) => ({
        message: internal({ to: hotJetton, value: JETTON_GAS + toNano("0.01"), bounce: true, body: jettonTransferBody(BigInt(i), 5_000_000n, to, hot.wallet.address, toNano("0.01"), textCell(`p${i}`)) }),
        merchantId: m.merchantId, withdrawalId: null, purpose: "withdrawal" as const, toAddress: friendly(to), tokenAddress: DEVNET_TON_JETTON_MASTER, amount: 5_000_000n,
        guard: async () => true,
      });
      const rows = (await signAndRecordHot(chain, hot, await hotStateOf(chain, hot), [payout(1, full), payout(2, fine)]))!;
      expect(rows).toHaveLength(2);
      await broadcast(chain, rows[0]);
      const settled = await until("both settled", async () => {
        await reconcileTon(chain, mnemonic);
        const now = await db().select().from(outboundTxs).where(inArray(outboundTxs.id, rows.map((r) => r.id)));
        return now.every((r) => r.status === "confirmed" || r.status === "failed") ? now : null;
      }, 30_000);
      const [toFull, toFine] = [settled.find((r) => r.id === rows[0].id)!, settled.find((r) => r.id === rows[1].id)!];
      // the hot wallet's jetton wallet ran both transfers: only the recipient's jetton wallet's bounce tells them apart
      expect(toFull.status).toBe("failed");
      expect(toFull.error).toMatch(/recipient's jetton wallet refused/);
      expect(toFine.status).toBe("confirmed");
      expect(await unitsOf(jettonWalletAddress(fine, master))).toBe(5_000_000n);
      expect(await unitsOf(fullJetton)).toBe((1n << 120n) - 1n);
      // the bounced 5 units are back in the hot wallet's jetton wallet
      expect(await unitsOf(hotJetton)).toBe(45_000_000n);
      expect(toFull.feePaid!).toBeGreaterThan(JETTON_GAS);
    } finally {
      await d.stop();
      await db().delete(outboundTxs).where(and(eq(outboundTxs.network, "ton"), eq(outboundTxs.livemode, true)));
    }
  }, 60_000);
});
