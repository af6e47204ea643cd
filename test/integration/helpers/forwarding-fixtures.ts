// Fixtures for the forwarding tests: the stack's own configuration and mnemonic (the worker's
// keys), sessions brought to `processing` with real on-chain deposits on their receivers, and a
// loop that runs forwarding passes in-process until a condition holds.
import { eq, sql } from "drizzle-orm";
import {
  createPublicClient, createTestClient, erc20Abi, getAddress, http, parseEther, parseEventLogs,
  type Address, type PublicClient,
} from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { expect, inject } from "vitest";
import { checkouts, deposits, outboundTxs, receivers } from "@/db/schema";
import { retryOnConflict, transition, type CheckoutRow } from "@/lib/checkout/state-machine";
import { loadConfig, type ChainConfig } from "@/lib/config";
import { networkSpec } from "@/lib/config/networks";
import { db } from "@/lib/db/client";
import { mintDevnetToken } from "@/lib/devnet/evm";
import { evmAccountAt } from "@/lib/keys/derive";
import { loadMnemonic } from "@/lib/keys/mnemonic";
import { sessionEvent } from "@/lib/sessions/events";
import { forwardingLease, forwardingTick, type TickOptions } from "@/lib/forwarding/tick";
import { Leases } from "@/lib/worker/leases";
import { api } from "../../helpers/api";

const childEnv = JSON.parse(inject("testEnv").childEnvJson) as Record<string, string | undefined>;
export const stackConfig = loadConfig(childEnv);
// events written in this process carry the session's url: the same public URL as the web process
process.env.TOLLGATE_PUBLIC_URL ??= stackConfig.publicUrl;
/** The stack's instance mnemonic: the keys its worker would sign with. */
export const mnemonic = loadMnemonic(stackConfig, { env: childEnv });

function testChain(network: "ethereum" | "polygon"): ChainConfig {
  const c = stackConfig.networks.find((n) => n.network === network && !n.livemode);
  if (!c?.enabled) throw new Error(`${network} (test) is not enabled in the test stack`);
  return c;
}
export const ethereum = testChain("ethereum");
export const polygon = testChain("polygon");

const clients = new Map<string, PublicClient>();
/** cacheTime 0: viem otherwise caches the block number for seconds. */
export function client(chain: ChainConfig): PublicClient {
  let c = clients.get(chain.key);
  if (!c) {
    c = createPublicClient({ transport: http(chain.rpcUrls[0]), pollingInterval: 100, cacheTime: 0 }) as PublicClient;
    clients.set(chain.key, c);
  }
  return c;
}

export function tokenOn(chain: ChainConfig, symbol: "USDC" | "USDT"): { address: Address; code: string } {
  const asset = networkSpec(chain.network)!.assets.find((a) => a.testKey === symbol && chain.assets[a.code]);
  return { address: getAddress(chain.assets[asset!.code]!), code: asset!.code };
}

export function balanceOf(chain: ChainConfig, token: Address, owner: Address): Promise<bigint> {
  return client(chain).readContract({ address: token, abi: erc20Abi, functionName: "balanceOf", args: [owner] });
}

export function setNativeBalance(chain: ChainConfig, address: Address, ether: string): Promise<void> {
  return createTestClient({ mode: "anvil", transport: http(chain.rpcUrls[0]) }).setBalance({ address, value: parseEther(ether) });
}

export const freshAddress = (): Address => privateKeyToAccount(generatePrivateKey()).address;

export type Payment = { chain: ChainConfig; symbol: "USDC" | "USDT"; units: bigint };
export type ProcessingSession = {
  sessionId: string;
  receiver: Address;
  receiverIndex: bigint;
  checkout: CheckoutRow;
};

/**
 * A session created through the API (destination on the ethereum devnet), a receiver derived from
 * the stack's mnemonic, real token transfers to it recorded as confirmed deposits, and the
 * status moved to processing through the state machine — what the watcher will produce.
 */
export async function processingSession(opts: {
  key: string;
  merchantId: string;
  destination: Address;
  amountUnits: string;
  refundAddress?: Address;
  pay: Payment[];
}): Promise<ProcessingSession> {
  const created = await api(opts.key).post("/v1/sessions", {
    destination: { type: "evm", address: opts.destination, chainId: ethereum.chainId, tokenAddress: tokenOn(ethereum, "USDC").address, amountUnits: opts.amountUnits },
    ...(opts.refundAddress ? { refundAddress: opts.refundAddress } : {}),
  });
  expect(created.status, created.text).toBe(201);
  const sessionId: string = created.json.session.sessionId;

  const { rows } = await db().execute<{ i: string }>(sql`select nextval('receiver_index_seq')::text as i`);
  const receiverIndex = BigInt(rows[0].i);
  const receiver = evmAccountAt(mnemonic, receiverIndex).address;
  const [receiverRow] = await db().insert(receivers).values({
    merchantId: opts.merchantId, livemode: false, family: "evm", address: receiver, derivationIndex: receiverIndex, checkoutId: sessionId,
  }).returning();
  const first = opts.pay[0];
  await db().transaction((tx) => transition(tx, sessionId, "requires_payment_method", "waiting_payment", [], {
    paymentMethodType: "evm", paymentMethodChainId: first.chain.chainId, paymentMethodTokenAddress: tokenOn(first.chain, first.symbol).address,
    paymentMethodReceiverAddress: receiver, paymentMethodChosenAt: new Date(),
  }));

  for (const p of opts.pay) {
    const token = tokenOn(p.chain, p.symbol);
    const hash = await mintDevnetToken(p.chain.rpcUrls[0], token.address, receiver, p.units);
    const receipt = await client(p.chain).getTransactionReceipt({ hash });
    const [log] = parseEventLogs({ abi: erc20Abi, eventName: "Transfer", logs: receipt.logs });
    await db().insert(deposits).values({
      merchantId: opts.merchantId, livemode: false, network: p.chain.network, chainId: p.chain.chainId,
      txHash: hash, logIndex: log.logIndex, blockNumber: receipt.blockNumber, blockHash: receipt.blockHash,
      fromAddress: getAddress(log.args.from), toAddress: receiver, tokenAddress: token.address, assetCode: token.code,
      amount: p.units, status: "confirmed", receiverId: receiverRow.id, checkoutId: sessionId, confirmedAt: new Date(),
    }).onConflictDoUpdate({
      // the stack's watcher may have recorded the transfer first (it watches the new receiver too)
      target: [deposits.network, deposits.livemode, deposits.txHash, deposits.logIndex],
      set: { status: "confirmed", confirmedAt: new Date() },
    });
  }
  // …and may have moved the session to processing itself
  const checkout = await retryOnConflict(() => db().transaction(async (tx) => {
    const [now] = await tx.select().from(checkouts).where(eq(checkouts.id, sessionId));
    return now.status === "processing" ? now : transition(tx, sessionId, "waiting_payment", "processing", [sessionEvent("session.processing")]);
  }));
  return { sessionId, receiver, receiverIndex, checkout };
}

export async function checkoutStatus(id: string): Promise<CheckoutRow["status"]> {
  const [row] = await db().select({ status: checkouts.status }).from(checkouts).where(eq(checkouts.id, id));
  return row.status;
}

export function outboundOf(checkoutId: string) {
  return db().select().from(outboundTxs).where(eq(outboundTxs.checkoutId, checkoutId)).orderBy(outboundTxs.createdAt);
}

/**
 * Takes the forwarding leases of the devnet chains for this test file, so the stack's worker (when
 * it forwards) stays out and the passes below run only here. Returns the release.
 */
export async function holdForwardingLeases(): Promise<() => Promise<void>> {
  const leases = new Leases();
  // another file may hold them for its whole run (block-forward-race): wait for it, within the hook's timeout
  const deadline = Date.now() + 100_000;
  for (const chain of [ethereum, polygon]) {
    // the worker may be in the middle of a pass: its lease ends with it
    while (!(await leases.tryAcquire(forwardingLease(chain)))) {
      if (Date.now() > deadline) throw new Error(`could not take ${forwardingLease(chain)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return () => leases.close();
}

/** Runs forwarding passes on `chain` until `done` holds (blocks come every second on the devnet). */
export async function forwardUntil(chain: ChainConfig, done: () => Promise<boolean>, opts: TickOptions & { timeoutMs?: number } = {}): Promise<void> {
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  for (;;) {
    await forwardingTick(chain, { mnemonic, lease: false, ...opts });
    if (await done()) return;
    if (Date.now() > deadline) throw new Error("forwarding did not get there in time");
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** n forwarding passes, for "nothing happens" checks. */
export async function forwardTimes(chain: ChainConfig, n: number, opts: TickOptions = {}): Promise<void> {
  for (let i = 0; i < n; i++) {
    await forwardingTick(chain, { mnemonic, lease: false, ...opts });
    await new Promise((r) => setTimeout(r, 300));
  }
}
