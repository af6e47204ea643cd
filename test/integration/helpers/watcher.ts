// Helpers for the watcher's integration tests: a session with a receiver in waiting_payment (what
// POST /v1/sessions/{id}/paymentMethods does, written directly), payers with their own fresh
// keys (so parallel test files never share a nonce), and small polling and query helpers.
import { and, asc, eq, sql } from "drizzle-orm";
import {
  createPublicClient, createTestClient, createWalletClient, defineChain, encodeFunctionData, erc20Abi, http,
  type Chain, type Hex, type PublicClient,
} from "viem";
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { checkouts, deposits, events, merchants, receivers } from "@/db/schema";
import { transition, type CheckoutRow } from "@/lib/checkout/state-machine";
import { db } from "@/lib/db/client";
import { mockErc20MintAbi } from "@/lib/devnet/mock-erc20";
import { evmAddressAt } from "@/lib/keys/derive";
import { xpubOf } from "@/lib/keys/roots";

export const USDC = "0x6D1A70703E4C7Cf35E2BE3B9DdED28401a915553" as const;
export const USDT = "0x1Eb3AEe4475F0a5e09871a83638F0129af3Be434" as const;
export const DESTINATION = "0x000000000000000000000000000000000000bEEF" as const;

/** A derivation index and its address, taken from the sequence as the product does. */
export async function reserveReceiver(): Promise<{ index: bigint; address: Hex }> {
  const xpub = await xpubOf("evm");
  if (!xpub) throw new Error("no EVM key root: has a worker or the launcher run against this database?");
  const [{ index }] = (await db().execute<{ index: string }>(sql`select nextval('receiver_index_seq')::text as index`)).rows;
  return { index: BigInt(index), address: evmAddressAt(xpub, BigInt(index)) };
}

/** Gives a session a receiver and moves it to waiting_payment, as choosing the EVM method does. */
export async function attachReceiver(checkoutId: string, chainId = 31337, reserved?: { index: bigint; address: Hex }): Promise<{ row: CheckoutRow; receiver: Hex }> {
  const { index, address } = reserved ?? (await reserveReceiver());
  return db().transaction(async (tx) => {
    const [c] = await tx.select().from(checkouts).where(eq(checkouts.id, checkoutId));
    await tx.insert(receivers).values({
      merchantId: c.merchantId, livemode: c.livemode, family: "evm", address, derivationIndex: BigInt(index),
      checkoutId, watchUntil: new Date(c.expiresAt.getTime() + 24 * 3600_000),
    });
    const row = await transition(tx, checkoutId, "requires_payment_method", "waiting_payment", [], {
      paymentMethodType: "evm", paymentMethodChainId: chainId, paymentMethodReceiverAddress: address, paymentMethodChosenAt: new Date(),
    });
    return { row, receiver: address };
  });
}

/** A checkout inserted directly (the tests that run their own worker have no web process). */
export async function insertSession(merchantId: string, amountUnits: bigint, opts: { expiresInSeconds?: number; chainId?: number; network?: string } = {}): Promise<CheckoutRow> {
  const [row] = await db().insert(checkouts).values({
    merchantId, livemode: false, kind: "session", network: opts.network ?? "ethereum", chainId: opts.chainId ?? 31337,
    tokenAddress: USDC, tokenSymbol: "USDC", tokenDecimals: 6, amountUnits, destinationAddress: DESTINATION,
    displayTitle: "Order", clientSecret: crypto.randomUUID(),
    expiresAt: sql`now() + make_interval(secs => ${opts.expiresInSeconds ?? 3600})`,
  }).returning();
  return row;
}

export async function setTolerance(merchantId: string, bps: number): Promise<void> {
  await db().update(merchants).set({ toleranceBps: bps }).where(eq(merchants.id, merchantId));
}

const chains = new Map<string, Chain>();
function chainOf(rpcUrl: string, chainId: number): Chain {
  const key = `${rpcUrl}:${chainId}`;
  let c = chains.get(key);
  if (!c) {
    c = defineChain({ id: chainId, name: `devnet-${chainId}`, nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 }, rpcUrls: { default: { http: [rpcUrl] } } });
    chains.set(key, c);
  }
  return c;
}

export function publicClient(rpcUrl: string): PublicClient {
  return createPublicClient({ transport: http(rpcUrl), pollingInterval: 50, cacheTime: 0 });
}

export async function rpcCall<T = unknown>(rpcUrl: string, method: string, params: unknown[] = []): Promise<T> {
  const res = await fetch(rpcUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) });
  const body = (await res.json()) as { result?: T; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result as T;
}

/**
 * A payer with a fresh key, funded with ETH and with `tokens` minted to it. `mine`: mine the mint
 * ourselves (chains without interval mining), else wait for the interval miner.
 */
export async function newPayer(rpcUrl: string, chainId: number, tokens: { token: Hex; amount: bigint }[], opts: { mine?: boolean } = {}) {
  const account: PrivateKeyAccount = privateKeyToAccount(generatePrivateKey());
  const anvil = createTestClient({ mode: "anvil", transport: http(rpcUrl) });
  await anvil.setBalance({ address: account.address, value: 10n ** 20n });
  const pc = publicClient(rpcUrl);
  const hashes: Hex[] = [];
  for (const t of tokens) {
    const sender = privateKeyToAccount(generatePrivateKey()).address;
    await anvil.setBalance({ address: sender, value: 10n ** 18n });
    hashes.push(await anvil.sendUnsignedTransaction({
      from: sender, to: t.token, data: encodeFunctionData({ abi: mockErc20MintAbi, functionName: "mint", args: [account.address, t.amount] }),
    }));
  }
  if (opts.mine) await anvil.mine({ blocks: 1 });
  for (const hash of hashes) await pc.waitForTransactionReceipt({ hash, pollingInterval: 50 });
  const wallet = createWalletClient({ account, chain: chainOf(rpcUrl, chainId), transport: http(rpcUrl) });
  let nonce = 0;
  return {
    address: account.address,
    /** signs and sends a token transfer (or native when token is null); returns the hash without waiting */
    async send(token: Hex | null, to: Hex, amount: bigint, extra: { nonce?: number } = {}): Promise<Hex> {
      const n = extra.nonce ?? nonce++;
      const fees = { maxFeePerGas: 50_000_000_000n, maxPriorityFeePerGas: 1_000_000_000n };
      return token
        ? wallet.sendTransaction({ to: token, data: encodeFunctionData({ abi: erc20Abi, functionName: "transfer", args: [to, amount] }), gas: 80_000n, nonce: n, ...fees })
        : wallet.sendTransaction({ to, value: amount, gas: 21_000n, nonce: n, ...fees });
    },
    /** a signed transfer, not sent (for anvil_reorg re-inclusion) */
    async sign(token: Hex, to: Hex, amount: bigint, n: number): Promise<Hex> {
      return wallet.signTransaction({
        to: token, data: encodeFunctionData({ abi: erc20Abi, functionName: "transfer", args: [to, amount] }), gas: 80_000n, nonce: n,
        maxFeePerGas: 50_000_000_000n, maxPriorityFeePerGas: 1_000_000_000n, chain: chainOf(rpcUrl, chainId),
      } as never);
    },
  };
}

export async function waitFor<T>(what: string, fn: () => Promise<T | undefined | null | false>, timeoutMs = 30_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as T;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ""}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export async function checkoutRow(id: string): Promise<CheckoutRow> {
  const [row] = await db().select().from(checkouts).where(eq(checkouts.id, id));
  return row;
}

export async function waitForStatus(id: string, status: CheckoutRow["status"], timeoutMs = 30_000): Promise<CheckoutRow> {
  return waitFor(`checkout ${id} to be ${status}`, async () => {
    const row = await checkoutRow(id);
    return row.status === status ? row : undefined;
  }, timeoutMs);
}

/** processing, or already succeeded where a forwarder runs */
export async function waitPaid(id: string, timeoutMs = 30_000): Promise<CheckoutRow> {
  return waitFor(`checkout ${id} to be paid`, async () => {
    const row = await checkoutRow(id);
    return row.status === "processing" || row.status === "succeeded" ? row : undefined;
  }, timeoutMs);
}

/** The watcher's session events, without what forwarding adds later. */
export async function watcherEvents(objectId: string): Promise<string[]> {
  return (await eventTypes(objectId)).filter((t) => t !== "session.succeeded" && t !== "session.bounced");
}

export async function depositsOf(checkoutId: string) {
  return db().select().from(deposits).where(eq(deposits.checkoutId, checkoutId)).orderBy(asc(deposits.createdAt));
}

/** Event types about this object, oldest first. */
export async function eventTypes(objectId: string): Promise<string[]> {
  const rows = await db().select({ type: events.type }).from(events).where(eq(events.objectId, objectId)).orderBy(asc(events.createdAt));
  return rows.map((r) => r.type);
}

export async function depositEventTypes(checkoutId: string): Promise<string[]> {
  const rows = await db().select({ type: events.type }).from(events)
    .innerJoin(deposits, eq(sql`${deposits.id}::text`, events.objectId))
    .where(and(eq(deposits.checkoutId, checkoutId), eq(events.objectType, "deposit")))
    .orderBy(asc(events.createdAt));
  return rows.map((r) => r.type);
}

export const count = (list: readonly string[], x: string) => list.filter((y) => y === x).length;
