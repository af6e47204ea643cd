// Reused checkout addresses (issue 21, lib/receivers/reuse), end to end through the stack's web and
// worker on the Ethereum devnet (EIP-7702 batch sweeps): payers pay with an independent client, the
// worker confirms and sweeps, the test reads the API, the database and the chain. An earlier
// checkout's window and quarantine are made to have passed by moving its receiver's watch_until
// back, as eight days would.
import { and, eq, sql } from "drizzle-orm";
import { createPublicClient, erc20Abi, getAddress, http, zeroAddress, type Address, type PublicClient } from "viem";
import { recoverAuthorizationAddress } from "viem/utils";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { describe, expect, inject, it } from "vitest";
import { checkouts, deposits, merchants, outboundTxs, receivers, settlementNotes } from "@/db/schema";
import { delegationCode, sweeperAddress } from "@/lib/chains/evm/sweeper";
import { db } from "@/lib/db/client";
import { DEVNET_TOKEN_ADDRESSES } from "@/lib/devnet/evm";
import { hotWalletAddress } from "@/lib/forwarding/hot-wallet";
import { REUSE_AFTER_MS } from "@/lib/receivers/reuse";
import { api, newMerchant } from "../helpers/api";
import { mnemonic } from "./helpers/forwarding-fixtures";
import { ethPayer, ETH_CHAIN_ID } from "./helpers/payments";
import { until } from "./helpers/until";

const { rpcEthereum } = inject("testEnv");
const USDC = getAddress(DEVNET_TOKEN_ADDRESSES.USDC);
const eth: PublicClient = createPublicClient({ transport: http(rpcEthereum), cacheTime: 0 }) as PublicClient;
const fresh = (): Address => privateKeyToAccount(generatePrivateKey()).address;
const usdcOf = (owner: Address) => eth.readContract({ address: USDC, abi: erc20Abi, functionName: "balanceOf", args: [owner] });
const EVM = { type: "evm", chainId: ETH_CHAIN_ID, tokenAddress: USDC };

async function session(key: string, amountUnits: string) {
  const destination = fresh();
  const r = await api(key).post("/v1/sessions", { destination: { type: "evm", address: destination, chainId: ETH_CHAIN_ID, tokenAddress: USDC, amountUnits } });
  expect(r.status, r.text).toBe(201);
  return { ...(r.json.session as { sessionId: string; clientSecret: string }), destination };
}
async function choose(s: { sessionId: string; clientSecret: string }): Promise<Address> {
  const r = await api().post(`/v1/sessions/${s.sessionId}/paymentMethods`, { clientSecret: s.clientSecret, paymentMethod: EVM });
  expect(r.status, r.text).toBe(200);
  return getAddress(r.json.session.paymentMethod.receiverAddress);
}
const view = async (key: string, id: string) => (await api(key).get(`/v1/sessions/${id}`)).json.session;
const reusing = (merchantId: string) => db().update(merchants).set({ reuseReceivers: true }).where(eq(merchants.id, merchantId));
/** The checkout's window closed longer ago than the quarantine: as if eight days had passed. */
const aged = (checkoutId: string) => db().update(receivers)
  .set({ watchUntil: sql`now() - make_interval(secs => ${REUSE_AFTER_MS / 1000})` }).where(eq(receivers.checkoutId, checkoutId));
const depositsOf = (checkoutId: string) => db().select({ amount: deposits.amount, receiverId: deposits.receiverId, status: deposits.status })
  .from(deposits).where(eq(deposits.checkoutId, checkoutId));

describe("reused checkout addresses", () => {
  it("a new checkout takes an earlier, settled checkout's address once its window and quarantine passed; its sweep needs no authorization and each checkout keeps its own payment", async () => {
    const m = await newMerchant();
    await reusing(m.merchantId);
    const payer = await ethPayer(USDC, 20_000_000n);

    const a = await session(m.key, "5");
    const address = await choose(a);
    await payer.pay(address, 5_000_000n);
    await until("A succeeded", () => view(m.key, a.sessionId), (x) => x.status === "succeeded", 120_000);
    // A's sweep delegated the address to the sweeper
    const sweeper = sweeperAddress(hotWalletAddress(mnemonic));
    expect((await eth.getCode({ address }))?.toLowerCase()).toBe(delegationCode(sweeper));

    // while A's window is open, a new checkout gets a fresh address
    const early = await session(m.key, "5");
    expect(await choose(early)).not.toBe(address);

    await aged(a.sessionId);
    // another merchant never gets it, reuse or not
    const other = await newMerchant();
    await reusing(other.merchantId);
    expect(await choose(await session(other.key, "5"))).not.toBe(address);

    const b = await session(m.key, "7");
    expect(await choose(b)).toBe(address);
    // taken once: the next checkout gets another address
    expect(await choose(await session(m.key, "5"))).not.toBe(address);

    await payer.pay(address, 7_000_000n);
    const doneB = await until("B succeeded", () => view(m.key, b.sessionId), (x) => x.status === "succeeded", 120_000).catch(async (e) => {
      // what held it: the notes the worker left and the transactions it recorded
      const notes = await db().select().from(settlementNotes).where(eq(settlementNotes.checkoutId, b.sessionId));
      const rows = await db().select({ purpose: outboundTxs.purpose, status: outboundTxs.status, error: outboundTxs.error }).from(outboundTxs).where(eq(outboundTxs.checkoutId, b.sessionId));
      const { readdirSync, readFileSync } = await import("node:fs");
      const dir = inject("testEnv").logDir;
      const logs = readdirSync(dir).flatMap((f) => readFileSync(`${dir}/${f}`, "utf8").split("\n").filter((l) => /"level":(40|50)/.test(l)).slice(-15).map((l) => `${f}: ${l.slice(0, 600)}`));
      throw new Error(`${(e as Error).message.slice(0, 200)}\nnotes: ${JSON.stringify(notes)}\noutbound: ${JSON.stringify(rows)}\n${logs.join("\n")}`);
    });
    expect(doneB).toMatchObject({ paidUnits: "7", exception: null });
    expect(await usdcOf(b.destination)).toBe(7_000_000n);
    // A is as it was: its one payment, on its own receiver row
    expect(await view(m.key, a.sessionId)).toMatchObject({ status: "succeeded", paidUnits: "5" });
    const [rowA] = await db().select().from(receivers).where(eq(receivers.checkoutId, a.sessionId));
    const [rowB] = await db().select().from(receivers).where(eq(receivers.checkoutId, b.sessionId));
    expect(rowB).toMatchObject({ reuses: rowA.id, address: rowA.address, derivationIndex: rowA.derivationIndex });
    expect(await depositsOf(a.sessionId)).toEqual([{ amount: 5_000_000n, receiverId: rowA.id, status: "confirmed" }]);
    expect(await depositsOf(b.sessionId)).toEqual([{ amount: 7_000_000n, receiverId: rowB.id, status: "confirmed" }]);

    // B's sweep: the hot wallet's batch through the sweeper, with no authorization from the address
    // (a batch of addresses that all delegated before is a plain EIP-1559 transaction: a type-4 one
    // with no authorization is invalid, and such a batch never went through before this was found)
    const [forward] = await db().select().from(outboundTxs).where(and(eq(outboundTxs.checkoutId, b.sessionId), eq(outboundTxs.purpose, "forward")));
    expect(forward.status).toBe("confirmed");
    const tx = await eth.getTransaction({ hash: forward.txHash as `0x${string}` });
    expect(getAddress(tx.from)).toBe(hotWalletAddress(mnemonic));
    expect(getAddress(tx.to!)).toBe(sweeper);
    const signers = await Promise.all((tx.authorizationList ?? []).map((auth) => recoverAuthorizationAddress({ authorization: auth })));
    expect(signers.map((s) => getAddress(s))).not.toContain(address);
  }, 300_000);

  it("an address whose checkout has not settled, or of a merchant that does not reuse, is never taken over", async () => {
    // a merchant that does not reuse: an aged, settled address stays its checkout's
    const plain = await newMerchant();
    const payer = await ethPayer(USDC, 10_000_000n);
    const p = await session(plain.key, "5");
    const plainAddress = await choose(p);
    await payer.pay(plainAddress, 5_000_000n);
    await until("succeeded", () => view(plain.key, p.sessionId), (x) => x.status === "succeeded", 120_000);
    await aged(p.sessionId);
    expect(await choose(await session(plain.key, "5"))).not.toBe(plainAddress);

    // a merchant that reuses, whose checkout cannot be forwarded (the destination reverts, no refund
    // address): it stays processing with its funds on the address, however old its window
    const m = await newMerchant();
    await reusing(m.merchantId);
    const stuck = await session(m.key, "5");
    const stuckAddress = await choose(stuck);
    await db().update(checkouts).set({ destinationAddress: zeroAddress }).where(eq(checkouts.id, stuck.sessionId));
    await payer.pay(stuckAddress, 5_000_000n);
    await until("processing", () => view(m.key, stuck.sessionId), (x) => x.status === "processing", 120_000);
    await aged(stuck.sessionId);
    expect(await choose(await session(m.key, "5"))).not.toBe(stuckAddress);
    expect(await usdcOf(stuckAddress)).toBe(5_000_000n);
  }, 300_000);
});
