// TON (issue 17) on the stack's TON devnet (@ton/sandbox behind a toncenter v2 API): an
// independent client (@ton/ton's TonClient, wallet v4r2 from the devnet's printed mnemonics) sends
// TON and jettons and reads balances, transactions, blocks and get-methods through the printed URL.
import { createHash } from "node:crypto";
import { Address, SendMode, beginCell, internal, toNano, type Cell } from "@ton/core";
import { mnemonicToWalletKey, type KeyPair } from "@ton/crypto";
import { TonClient, WalletContractV4, type OpenedContract } from "@ton/ton";
import { readFileSync } from "node:fs";
import { describe, expect, inject, it } from "vitest";
import { TON_CONTRACTS_ARTIFACT_PATH, compileTonContracts, serializeTonArtifact } from "@/lib/devnet/compile-ton";
import { DEVNET_TON_DNS_NAME, DEVNET_TON_DNS_ROOT, DEVNET_TON_JETTON_MASTER, DEVNET_TON_WALLETS } from "@/lib/devnet/ton-constants";

const client = new TonClient({ endpoint: inject("testEnv").rpcTon });
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
