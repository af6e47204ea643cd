// The Solana watcher's RPC cost per pass does not grow with the number of open sessions (issue 15,
// item 8): it reads the recipients' accounts, not each reference, and matches references in
// memory. Counted with a Connection that counts JSON-RPC calls. The sessions here are livemode
// (inserted directly): the test stack's worker watches test mode only (another file's live-mode
// worker may record them too, so outcomes are read from the database, not from pass results).
// Also: a payment is found through the merchant's token account, recorded at `confirmed` and
// confirmed at `finalized` by a new watcher instance (a restart goes on from the persisted
// cursor), a late one is recorded as late, and a third instance reads nothing again. Deposit
// addresses (issue 16) are read block by block: a pass costs the same with 300 as with 1.
import { createAssociatedTokenAccountIdempotentInstruction, createTransferCheckedInstruction, getAssociatedTokenAddressSync } from "@solana/spl-token";
import { Connection, Keypair, PublicKey, SystemProgram, Transaction } from "@solana/web3.js";
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { describe, expect, inject, it } from "vitest";
import { checkouts, deposits, receivers, solanaCursors } from "@/db/schema";
import { SolanaWatcher } from "@/lib/chains/solana/watcher";
import { loadConfig, type ChainConfig } from "@/lib/config";
import { db } from "@/lib/db/client";
import { DEVNET_SOLANA_MINTS, devnetSolanaWallets } from "@/lib/devnet/solana-constants";
import { newMerchant } from "../helpers/api";
import { countingConnection, seedSolanaSessions } from "./helpers/solana";

const USDC = DEVNET_SOLANA_MINTS.USDC;
const rpcUrl = () => inject("testEnv").rpcSolana;
// wallet 3 pays here too (solana-payments uses 2–4 by turns; a payer has no nonce to collide on)
const payer = devnetSolanaWallets()[3];

function liveChain(): ChainConfig {
  const test = loadConfig(JSON.parse(inject("testEnv").childEnvJson)).networks.find((c) => c.network === "solana" && !c.livemode)!;
  return { ...test, key: "solana", livemode: true };
}

async function waitStatus(signature: string, status: "confirmed" | "finalized", timeoutMs = 15_000): Promise<void> {
  const c = new Connection(rpcUrl(), "confirmed");
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { value } = await c.getSignatureStatuses([signature]);
    if (value[0]?.confirmationStatus === status || value[0]?.confirmationStatus === "finalized") return;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`${signature} not ${status} within ${timeoutMs} ms`);
}

async function pay(recipient: PublicKey, reference: string, amount: bigint): Promise<string> {
  const mint = new PublicKey(USDC);
  const to = getAssociatedTokenAddressSync(mint, recipient);
  const ix = createTransferCheckedInstruction(getAssociatedTokenAddressSync(mint, payer.publicKey), mint, to, payer.publicKey, amount, 6);
  ix.keys.push({ pubkey: new PublicKey(reference), isSigner: false, isWritable: false });
  const c = new Connection(rpcUrl(), "confirmed");
  const tx = new Transaction().add(createAssociatedTokenAccountIdempotentInstruction(payer.publicKey, to, recipient, mint), ix);
  tx.recentBlockhash = (await c.getLatestBlockhash()).blockhash;
  tx.feePayer = payer.publicKey;
  tx.sign(payer);
  return c.sendRawTransaction(tx.serialize());
}

describe("Solana watcher cost", () => {
  it("makes as many RPC calls per pass with 200 open sessions as with 1 (none per reference)", async () => {
    const m = await newMerchant();
    const recipient = Keypair.generate().publicKey.toBase58();
    const counting = countingConnection(rpcUrl());
    const watcher = new SolanaWatcher(liveChain(), { connection: counting.conn });
    const [first] = await seedSolanaSessions(m.merchantId, 1, { livemode: true, recipient, mint: USDC });

    const perPass = async () => {
      await watcher.tick(); // the first sight of a recipient lists its token accounts; measured from the next pass
      counting.reset();
      const r = await watcher.tick();
      return { calls: counting.total(), byMethod: Object.fromEntries(counting.calls), references: r.references, addresses: r.addresses };
    };
    const one = await perPass();
    expect(one.references).toBeGreaterThanOrEqual(1);

    const more = await seedSolanaSessions(m.merchantId, 199, { livemode: true, recipient, mint: USDC });
    const many = await perPass();
    expect(many.references - one.references).toBe(199);
    expect(many.calls).toBe(one.calls);
    expect(many.byMethod).toEqual(one.byMethod);
    expect(many.addresses).toBe(one.addresses);
    // no reference is asked about: the head (2 calls) and one read per watched account
    expect(many.byMethod.getSignaturesForAddress).toBe(many.addresses);
    expect(many.calls).toBe(2 + many.addresses);

    // the references are still matched in memory: paying the 200th session is found
    const signature = await pay(new PublicKey(recipient), more.at(-1)!.reference, 1_000_000n);
    await waitStatus(signature, "confirmed");
    counting.reset();
    await watcher.tick();
    expect(counting.calls.get("getTransaction")).toBe(1);
    const [d] = await db().select().from(deposits).where(eq(deposits.txHash, signature));
    expect(d).toMatchObject({ checkoutId: more.at(-1)!.checkoutId, livemode: true, network: "solana", amount: 1_000_000n });
    expect(first.checkoutId).not.toBe(d.checkoutId);
  });

  it("a restarted watcher confirms at finalized what the last one recorded at confirmed, records a late payment as late, and reads nothing twice", async () => {
    const m = await newMerchant();
    const recipient = Keypair.generate().publicKey;
    const [open, finished] = await seedSolanaSessions(m.merchantId, 2, { livemode: true, recipient: recipient.toBase58(), mint: USDC, amount: 2_000_000n });
    await db().update(checkouts).set({ status: "expired", expiresAt: new Date(Date.now() - 1000) }).where(eq(checkouts.id, finished.checkoutId));

    const a = countingConnection(rpcUrl());
    await new SolanaWatcher(liveChain(), { connection: a.conn }).tick();
    const paid = await pay(recipient, open.reference, 2_000_000n);
    const late = await pay(recipient, finished.reference, 500_000n);
    await waitStatus(late, "confirmed");
    await new SolanaWatcher(liveChain(), { connection: a.conn }).tick();
    const seen = await db().select().from(deposits).where(inArray(deposits.txHash, [paid, late]));
    // both found; unless the devnet finalized them already, they wait at `seen`
    expect(seen).toHaveLength(2);

    await waitStatus(late, "finalized");
    const b = countingConnection(rpcUrl());
    await new SolanaWatcher(liveChain(), { connection: b.conn }).tick();
    const rows = await db().select().from(deposits).where(inArray(deposits.txHash, [paid, late]));
    expect(rows.map((r) => r.status)).toEqual(["confirmed", "confirmed"]);
    expect(rows.find((r) => r.txHash === late)).toMatchObject({ late: true, checkoutId: finished.checkoutId, amount: 500_000n });
    expect(rows.find((r) => r.txHash === paid)).toMatchObject({ late: false, checkoutId: open.checkoutId, amount: 2_000_000n });
    const [c] = await db().select().from(checkouts).where(eq(checkouts.id, open.checkoutId));
    expect(c.status).toBe("succeeded");
    expect(c.deliveryTxHash).toBe(paid);
    const ata = getAssociatedTokenAddressSync(new PublicKey(USDC), recipient).toBase58();
    const [cursor] = await db().select().from(solanaCursors).where(and(eq(solanaCursors.livemode, true), eq(solanaCursors.address, ata)));
    expect(cursor.signature).toBe(late);

    // a third instance starts from the cursor: nothing to fetch again
    const c3 = countingConnection(rpcUrl());
    const again = await new SolanaWatcher(liveChain(), { connection: c3.conn }).tick();
    expect(again).toMatchObject({ recorded: 0, confirmed: 0 });
    expect(c3.calls.get("getTransaction") ?? 0).toBe(0);
  });

  it("reads deposit addresses block by block: as many RPC calls per pass with 300 addresses as with 1, and a payment to the last is credited", async () => {
    const m = await newMerchant();
    const counting = countingConnection(rpcUrl());
    const watcher = new SolanaWatcher(liveChain(), { connection: counting.conn });
    // live-mode deposit addresses of this merchant (receivers without a checkout; keys of no consequence here)
    const addresses = async (n: number) => db().insert(receivers).values(Array.from({ length: n }, () => ({
      merchantId: m.merchantId, livemode: true, family: "solana" as const, address: Keypair.generate().publicKey.toBase58(),
      derivationIndex: sql<bigint>`nextval('receiver_index_seq')`, checkoutId: null, watchUntil: null,
    }))).returning();
    await addresses(1);
    const perPass = async () => {
      await watcher.tick();
      counting.reset();
      const r = await watcher.tick();
      const byMethod = Object.fromEntries(counting.calls);
      return { byMethod, slots: r.deposits!.slots, beyondBlocks: counting.total() - (byMethod.getBlock ?? 0) };
    };
    const one = await perPass();
    const many = await (async () => { await addresses(299); return perPass(); })();
    for (const p of [one, many]) {
      // one getBlocks and one getBlock per produced slot; nothing per address
      expect(p.byMethod.getBlocks).toBe(1);
      expect(p.byMethod.getBlock ?? 0).toBe(p.slots);
      expect(p.byMethod.getBalance ?? 0).toBe(0);
    }
    expect(many.beyondBlocks).toBe(one.beyondBlocks);

    const [last] = await db().select().from(receivers).where(and(eq(receivers.merchantId, m.merchantId))).orderBy(desc(receivers.derivationIndex)).limit(1);
    const c = new Connection(rpcUrl(), "confirmed");
    const tx = new Transaction().add(SystemProgram.transfer({ fromPubkey: payer.publicKey, toPubkey: new PublicKey(last.address), lamports: 1_000_000 }));
    tx.recentBlockhash = (await c.getLatestBlockhash()).blockhash;
    tx.feePayer = payer.publicKey;
    tx.sign(payer);
    const signature = await c.sendRawTransaction(tx.serialize());
    await waitStatus(signature, "finalized");
    const deadline = Date.now() + 10_000;
    let d: typeof deposits.$inferSelect | undefined;
    while (!(d?.status === "confirmed") && Date.now() < deadline) {
      await watcher.tick();
      [d] = await db().select().from(deposits).where(eq(deposits.txHash, signature));
    }
    expect(d).toMatchObject({ receiverId: last.id, checkoutId: null, livemode: true, assetCode: "SOL", amount: 1_000_000n, status: "confirmed" });
  });
});
