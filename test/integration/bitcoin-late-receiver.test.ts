// A receiver committed after its payment was mined and its block processed (issue 19: the
// simulation found a Litecoin session's payment on the final chain and never recorded). The
// Bitcoin-family watcher reads the receivers at the start of each pass; a receiver committed while
// a pass ran, paid and mined at once, was not in the map that pass used, and the next pass only
// matched new receivers against the mempool, which no longer held the payment. Here the receiver
// is allocated exactly as a deposit address is, in a transaction kept open while the payment is
// mined and the stack's worker processes its block; once it commits, the payment must be recorded
// from the block, confirmed at the depth, and credited once.
import { and, eq } from "drizzle-orm";
import { expect, inject, it } from "vitest";
import { depositAddresses, deposits, networkStatus } from "@/db/schema";
import { p2wpkhAddress } from "@/lib/chains/bitcoin/address";
import { utxoRpc } from "@/lib/chains/bitcoin/rpc";
import { db } from "@/lib/db/client";
import { createMerchant } from "@/lib/merchants/create-merchant";
import { allocateReceiver } from "@/lib/receivers/allocate";

const env = inject("testEnv");
const btc = { node: utxoRpc(env.rpcBitcoin), wallet: utxoRpc(env.walletBitcoin), miner: p2wpkhAddress(new Uint8Array(20).fill(7), "rb") };

async function until<T>(what: string, f: () => Promise<T | null | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const processedHeight = async () => Number((await db().select({ head: networkStatus.headNumber }).from(networkStatus)
  .where(and(eq(networkStatus.network, "bitcoin"), eq(networkStatus.livemode, false))))[0]?.head ?? -1);

it("records a payment whose receiver committed after its block was processed", async () => {
  const { merchantId } = await createMerchant({ name: "Late receiver", email: `late-rcv-${Date.now()}@test.local`, password: "password-123456" });
  let address = "";
  let txid = "";
  await db().transaction(async (tx) => {
    const receiver = await allocateReceiver(tx, { merchantId, livemode: false, family: "bitcoin", checkoutId: null, watchUntil: null, chainKey: "bitcoin:test" });
    await tx.insert(depositAddresses).values({
      merchantId, livemode: false, receiverId: receiver.id, address: receiver.address, network: "bitcoin", currency: "BTC", kind: "new", userId: "late",
    });
    address = receiver.address;
    // paid and mined while the receiver is not committed: the worker's watcher cannot know it yet
    txid = await btc.wallet.call<string>("sendtoaddress", [address, 0.0015]);
    const [block] = await btc.node.call<string[]>("generatetoaddress", [1, btc.miner]);
    const { height } = await btc.node.call<{ height: number }>("getblockheader", [block, true]);
    await until("the worker to process the payment's block", async () => (await processedHeight()) >= height);
    // and a mempool pass after it: the payment has left the mempool the watcher reads
    await new Promise((r) => setTimeout(r, 1_500));
  });

  const recorded = await until("the payment recorded from its block", async () =>
    (await db().select().from(deposits).where(and(eq(deposits.network, "bitcoin"), eq(deposits.txHash, txid))))[0], 15_000);
  expect(recorded).toMatchObject({ toAddress: address, amount: 150_000n, assetCode: "BTC", merchantId });
  expect(recorded.blockHash).not.toBe("");
  await btc.node.call("generatetoaddress", [2, btc.miner]);
  const confirmed = await until("the payment confirmed", async () => {
    const [d] = await db().select().from(deposits).where(and(eq(deposits.network, "bitcoin"), eq(deposits.txHash, txid)));
    return d?.status === "confirmed" ? d : null;
  });
  expect(confirmed.id).toBe(recorded.id);
  expect(await db().select().from(deposits).where(and(eq(deposits.network, "bitcoin"), eq(deposits.txHash, txid)))).toHaveLength(1);
}, 90_000);
