// The simulation's hands and eyes on the devnet chains (anvil, directly, never through the fault
// proxy): a bank per chain (a key of our own, funded once) that funds single-use payers with
// signed transactions (so a reorg can put them back), payers' token transfers, reorganisations
// within the confirmation depth (anvil_reorg, re-including the reorganised blocks' transactions at
// other heights, optionally dropping some payers'), and the final chain's truth: receipts and
// ERC-20 Transfer logs.
import {
  encodeFunctionData, erc20Abi, getAddress, keccak256, pad, parseEther, toHex, type Hex,
} from "viem";
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { mockErc20MintAbi } from "@/lib/devnet/mock-erc20";

type Lockable = { rpcUrl: string; chainId: number; lock: <T>(fn: () => Promise<T>) => Promise<T> };

export async function rpc<T = unknown>(url: string, method: string, params: unknown[] = []): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) });
      const body = (await res.json()) as { result?: T; error?: { message: string } };
      if (body.error) throw new RpcError(`${method}: ${body.error.message}`);
      return body.result as T;
    } catch (e) {
      if (e instanceof RpcError || attempt >= 3) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
class RpcError extends Error {}

const FEES = { maxFeePerGas: 50_000_000_000n, maxPriorityFeePerGas: 1_000_000_000n };
export const TRANSFER_TOPIC = keccak256(toHex("Transfer(address,address,uint256)"));

async function signTx(account: PrivateKeyAccount, chainId: number, tx: { to: Hex; data?: Hex; value?: bigint; gas: bigint; nonce: number }): Promise<Hex> {
  return account.signTransaction({ type: "eip1559", chainId, to: tx.to, data: tx.data, value: tx.value ?? 0n, gas: tx.gas, nonce: tx.nonce, ...FEES });
}

export const transferData = (to: Hex, amount: bigint) => encodeFunctionData({ abi: erc20Abi, functionName: "transfer", args: [to, amount] });

export async function waitReceipt(url: string, hash: Hex, timeoutMs = 30_000): Promise<Receipt | null> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const r = await rpc<Receipt | null>(url, "eth_getTransactionReceipt", [hash]);
    if (r) return r;
    await new Promise((res) => setTimeout(res, 150));
  }
  return null;
}

export type Receipt = { status: Hex; blockNumber: Hex; blockHash: Hex; from: Hex; to: Hex | null; logs: Log[] };
export type Log = { address: Hex; topics: Hex[]; data: Hex; logIndex: Hex; transactionHash: Hex; blockNumber: Hex };

/** A key of our own per chain with plenty of coin and tokens; funds payers with signed transactions. */
export class Bank {
  private account = privateKeyToAccount(generatePrivateKey());
  get address(): string { return this.account.address.toLowerCase(); }
  private nonce = 0;
  private queue: Promise<unknown> = Promise.resolve();
  constructor(private chain: Lockable, private tokens: Hex[]) {}

  async open(mine: () => Promise<void>): Promise<void> {
    await rpc(this.chain.rpcUrl, "anvil_setBalance", [this.account.address, toHex(parseEther("1000000"))]);
    // the mock tokens' mint is open: minted once, then mined deep (no reorg reaches it)
    const hashes: Hex[] = [];
    for (const token of this.tokens) {
      hashes.push(await this.send(token, encodeFunctionData({ abi: mockErc20MintAbi, functionName: "mint", args: [this.account.address, 10n ** 18n] }), 0n, 200_000n));
    }
    for (let i = 0; i < 10; i++) await mine();
    for (const h of hashes) if (!(await waitReceipt(this.chain.rpcUrl, h, 10_000))) throw new Error("bank mint not mined");
  }

  /** sends a signed transaction from the bank (nonces in order); returns its hash */
  private send(to: Hex, data: Hex | undefined, value: bigint, gas: bigint): Promise<Hex> {
    const run = this.queue.then(async () => {
      const raw = await signTx(this.account, this.chain.chainId, { to, data, value, gas, nonce: this.nonce });
      const hash = await rpc<Hex>(this.chain.rpcUrl, "eth_sendRawTransaction", [raw]);
      this.nonce++;
      return hash;
    });
    this.queue = run.catch(() => {});
    return run;
  }

  /** a fresh payer holding coin for fees and `amount` of `token`; resolves once both are mined */
  async payer(token: Hex, amount: bigint): Promise<Payer> {
    const account = privateKeyToAccount(generatePrivateKey());
    const a = await this.send(account.address, undefined, parseEther("0.05"), 21_000n);
    const b = await this.send(token, transferData(account.address, amount), 0n, 80_000n);
    for (const h of [a, b]) {
      const r = await waitReceipt(this.chain.rpcUrl, h);
      if (!r || r.status !== "0x1") throw new Error(`funding a payer failed (${h})`);
    }
    return new Payer(this.chain, account);
  }
}

export type SentTransfer = { network: string; hash: Hex; raw: Hex; from: Hex; to: Hex; token: Hex; amount: bigint };

export class Payer {
  private nonce = 0;
  constructor(private chain: Lockable & { network?: string }, readonly account: PrivateKeyAccount) {}
  get address(): Hex { return this.account.address; }

  async transfer(network: string, token: Hex, to: Hex, amount: bigint): Promise<SentTransfer> {
    const raw = await signTx(this.account, this.chain.chainId, { to: token, data: transferData(getAddress(to), amount), gas: 80_000n, nonce: this.nonce });
    const hash = await rpc<Hex>(this.chain.rpcUrl, "eth_sendRawTransaction", [raw]);
    this.nonce++;
    return { network, hash, raw, from: this.account.address, to: getAddress(to), token, amount };
  }
}

/**
 * Replaces the newest `depth` blocks (anvil_reorg): their transactions go back in at seeded
 * heights of the new blocks (each sender's order kept), except those whose sender `drop` names
 * (every transaction of such a sender in those blocks, so no nonce gap is left behind). When the
 * node refuses the shortened set (a kept transaction needed a dropped one), all go back in.
 */
export async function reorg(chain: Lockable, depth: number, rand: () => number, drop: (from: string) => boolean): Promise<{ moved: number; dropped: number }> {
  return chain.lock(async () => {
    const head = Number.parseInt(await rpc<Hex>(chain.rpcUrl, "eth_blockNumber"), 16);
    const txs: { raw: Hex; from: string }[] = [];
    for (let n = head - depth + 1; n <= head; n++) {
      const b = await rpc<{ transactions: { hash: Hex; from: Hex }[] }>(chain.rpcUrl, "eth_getBlockByNumber", [toHex(n), true]);
      for (const t of b.transactions) txs.push({ raw: await rpc<Hex>(chain.rpcUrl, "eth_getRawTransactionByHash", [t.hash]), from: t.from.toLowerCase() });
    }
    // anvil_reorg rewinds the node's clock to the fork point: put it back to the wall clock, or the
    // chain's newest block looks stale and the product (rightly) stops paying until it is synced
    const resetClock = async () => {
      const top = await rpc<{ timestamp: Hex }>(chain.rpcUrl, "eth_getBlockByNumber", ["latest", false]);
      const next = Math.max(Math.floor(Date.now() / 1000), Number.parseInt(top.timestamp, 16) + 1);
      await rpc(chain.rpcUrl, "evm_setNextBlockTimestamp", [next]);
    };
    const keep = txs.filter((t) => !drop(t.from));
    const offsets = txs.map(() => Math.floor(rand() * depth)).sort((x, y) => x - y);
    try {
      await rpc(chain.rpcUrl, "anvil_reorg", [depth, keep.map((t, i) => [t.raw, offsets[i]])]);
      await resetClock();
      return { moved: keep.length, dropped: txs.length - keep.length };
    } catch {
      await rpc(chain.rpcUrl, "anvil_reorg", [depth, txs.map((t, i) => [t.raw, offsets[i]])]);
      await resetClock();
      return { moved: txs.length, dropped: 0 };
    }
  });
}

/** ERC-20 Transfer logs on the final chain, by `from` and/or `to`. */
export async function transferLogs(url: string, q: { from?: Hex; to?: Hex }): Promise<{ token: Hex; from: Hex; to: Hex; amount: bigint; hash: Hex; logIndex: number; block: number }[]> {
  const topic = (a?: Hex) => (a ? pad(a.toLowerCase() as Hex, { size: 32 }) : null);
  const logs = await rpc<Log[]>(url, "eth_getLogs", [{ fromBlock: "0x0", toBlock: "latest", topics: [TRANSFER_TOPIC, topic(q.from), topic(q.to)] }]);
  return logs.map((l) => ({
    token: getAddress(l.address), from: getAddress(`0x${l.topics[1].slice(26)}`), to: getAddress(`0x${l.topics[2].slice(26)}`),
    amount: BigInt(l.data), hash: l.transactionHash, logIndex: Number.parseInt(l.logIndex, 16), block: Number.parseInt(l.blockNumber, 16),
  }));
}

export const headOf = async (url: string) => Number.parseInt(await rpc<Hex>(url, "eth_blockNumber"), 16);
