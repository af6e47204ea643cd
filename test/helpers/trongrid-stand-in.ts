// A TronGrid stand-in in front of an anvil chain (the Tron devnet): the /wallet/* endpoints of a
// java-tron full node as TronGrid serves them, and /jsonrpc. It checks each broadcast's signature
// and executes it as its owner: TRC-20 calls (TriggerSmartContract) on anvil, TRX transfers and
// Stake 2.0 (FreezeBalanceV2, DelegateResource, UnDelegateResource) on the accounts' balances
// (anvil_setBalance: anvil's native coin counts as sun). This is a stand-in for a service tests
// cannot reach, so it models what Tollgate depends on, documented here:
//   - accounts exist once they hold TRX or were sent some (activation); a transfer to a new account
//     burns 1 TRX more of the sender (getCreateNewAccountFeeInSystemContract); a delegation to a
//     missing account is refused, as are transactions from one.
//   - bandwidth: every account has 600 free bytes (never regenerated here); a transaction uses its
//     raw data length + 134 bytes (signature and overhead); without free bytes left it burns 1,000
//     sun per byte (getTransactionFee) and is refused when the sender cannot pay that.
//   - energy: staked TRX yields ENERGY_PER_TRX (10) energy per TRX (TotalEnergyLimit /
//     TotalEnergyWeight, close to mainnet's), own stake plus delegated-in; used energy is not
//     regenerated here. A TriggerSmartContract uses as much energy as anvil's gasUsed; its energy
//     limit is min(fee_limit / energy price, available energy + balance / energy price); what the
//     available energy does not cover is burned at the energy price (getEnergyFee, 420 sun as on
//     mainnet; settable). Out of energy (anvil ran out of gas at that limit): OUT_OF_ENERGY, and
//     everything used past the available energy is burned.
//   - every transaction is final at once (the solidified block is the latest).
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Hex } from "viem";
import { hexToTron, tronToHex } from "@/lib/addresses";
import { recoverTronSigner, type TronContractType, type TronTransaction } from "@/lib/chains/tron/tx";
import { rpcCall } from "../integration/helpers/watcher";

export const ENERGY_PER_TRX = 10n;
export const FREE_NET_BYTES = 600n;
export const BYTE_FEE_SUN = 1_000n;
export const CREATE_ACCOUNT_FEE_SUN = 1_000_000n;
const TOTAL_ENERGY_LIMIT = 180_000_000_000n;
const SUN = 1_000_000n;

type Receipt = { result?: string; energy_usage?: number; energy_usage_total?: number; energy_fee?: number; net_usage?: number; net_fee?: number };
type Info = { id: string; blockNumber: number; fee: number; receipt: Receipt };
type Refusal = { code: string; message: string };

const hexMsg = (s: string) => Buffer.from(s).toString("hex");
/** any address form (base58, 41…, 0x…) → lower-case 0x hex */
const key = (a: unknown): Hex => tronToHex(hexToTron(String(a).startsWith("T") ? tronToHex(String(a)) : String(a))).toLowerCase() as Hex;
const min = (a: bigint, b: bigint) => (a < b ? a : b);
const max = (a: bigint, b: bigint) => (a > b ? a : b);

export class TronGridOnAnvil {
  server: Server;
  url = "";
  /** sun burned per unit of energy (getEnergyFee) */
  energyFee = 420n;
  /** Tron txID → the anvil transaction that executed it (null: executed on balances only) */
  executed = new Map<string, Hex | null>();
  kinds = new Map<string, TronContractType>();
  infos = new Map<string, Info>();
  /** sun staked for energy and not delegated (frozenV2 ENERGY) */
  frozen = new Map<Hex, bigint>();
  /** `${owner}>${receiver}` → sun of staked TRX whose energy is delegated */
  delegations = new Map<string, bigint>();
  energyUsed = new Map<Hex, bigint>();
  netUsed = new Map<Hex, bigint>();
  activated = new Set<Hex>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly rpc: string) {
    this.server = createServer((req, res) => {
      let body = "";
      req.on("data", (c) => { body += c; });
      req.on("end", () => {
        this.handle(req.url ?? "", body ? JSON.parse(body) : {})
          .then((a) => { res.setHeader("content-type", "application/json"); res.end(JSON.stringify(a)); })
          .catch((e: unknown) => { res.statusCode = 500; res.end(String(e)); });
      });
    });
  }

  async start() {
    await new Promise<void>((r) => this.server.listen(0, "127.0.0.1", r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop() {
    return new Promise<void>((r) => this.server.close(() => r()));
  }

  private delegatedOut(a: Hex): bigint {
    let s = 0n;
    for (const [k, v] of this.delegations) if (k.startsWith(`${a}>`)) s += v;
    return s;
  }

  private delegatedIn(a: Hex): bigint {
    let s = 0n;
    for (const [k, v] of this.delegations) if (k.endsWith(`>${a}`)) s += v;
    return s;
  }

  energyLimit(a: Hex): bigint {
    return ((this.frozen.get(a) ?? 0n) + this.delegatedIn(a)) * ENERGY_PER_TRX / SUN;
  }

  availableEnergy(a: Hex): bigint {
    return max(0n, this.energyLimit(a) - (this.energyUsed.get(a) ?? 0n));
  }

  /** staked sun whose energy the owner can delegate: its own stake less what its used energy stands for */
  canDelegate(a: Hex): bigint {
    const used = this.energyUsed.get(a) ?? 0n;
    return max(0n, (this.frozen.get(a) ?? 0n) - (used * SUN + ENERGY_PER_TRX - 1n) / ENERGY_PER_TRX);
  }

  async balance(a: Hex): Promise<bigint> {
    return BigInt(await rpcCall<Hex>(this.rpc, "eth_getBalance", [a, "latest"]));
  }

  private async setBalance(a: Hex, v: bigint) {
    await rpcCall(this.rpc, "anvil_setBalance", [a, `0x${v.toString(16)}`]);
  }

  async exists(a: Hex): Promise<boolean> {
    return this.activated.has(a) || (this.frozen.get(a) ?? 0n) > 0n || (await this.balance(a)) > 0n;
  }

  private async head(): Promise<number> {
    return Number.parseInt(await rpcCall<Hex>(this.rpc, "eth_blockNumber"), 16);
  }

  /** Bandwidth for a transaction of `bytes` from `a`: free bytes, else sun to burn (null: none left and not enough TRX). */
  private bandwidth(a: Hex, bytes: bigint, balance: bigint): { netUsage: bigint; netFee: bigint } | null {
    const used = this.netUsed.get(a) ?? 0n;
    if (FREE_NET_BYTES - used >= bytes) return { netUsage: bytes, netFee: 0n };
    return balance >= bytes * BYTE_FEE_SUN ? { netUsage: 0n, netFee: bytes * BYTE_FEE_SUN } : null;
  }

  private async handle(path: string, parsed: unknown): Promise<unknown> {
    const body = parsed as Record<string, unknown>;
    if (path === "/jsonrpc") {
      // a Tron node's JSON-RPC knows transactions by their txID
      const calls = (Array.isArray(parsed) ? parsed : [parsed]) as { id: number; method: string; params: unknown[] }[];
      const out = await Promise.all(calls.map(async (c) => {
        const params = (c.method === "eth_getTransactionReceipt" || c.method === "eth_getTransactionByHash")
          ? [this.executed.get(String(c.params[0]).replace(/^0x/, "")) ?? c.params[0]] : c.params;
        const r = await fetch(this.rpc, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: c.id, method: c.method, params }) });
        return r.json();
      }));
      return Array.isArray(parsed) ? out : out[0];
    }
    if (path === "/wallet/getnowblock" || path === "/walletsolidity/getnowblock") {
      const b = await rpcCall<{ number: Hex; hash: Hex; timestamp: Hex }>(this.rpc, "eth_getBlockByNumber", ["latest", false]);
      const number = Number.parseInt(b.number, 16);
      // Tron block ids start with the height
      const blockID = number.toString(16).padStart(16, "0") + b.hash.slice(18);
      return { blockID, block_header: { raw_data: { number, timestamp: Number.parseInt(b.timestamp, 16) * 1000 } } };
    }
    if (path === "/wallet/broadcasttransaction") {
      // one at a time, like a node applying transactions in order
      const run = this.queue.then(() => this.broadcast(parsed as TronTransaction));
      this.queue = run.catch(() => {});
      return run;
    }
    if (path === "/wallet/gettransactionbyid") {
      return this.executed.has(String(body.value)) ? { txID: body.value } : {};
    }
    if (path === "/wallet/gettransactioninfobyid") {
      return this.infos.get(String(body.value)) ?? {};
    }
    if (path === "/wallet/getchainparameters") {
      return { chainParameter: [
        { key: "getTransactionFee", value: Number(BYTE_FEE_SUN) }, { key: "getEnergyFee", value: Number(this.energyFee) },
        { key: "getCreateNewAccountFeeInSystemContract", value: Number(CREATE_ACCOUNT_FEE_SUN) }, { key: "getFreeNetLimit", value: Number(FREE_NET_BYTES) },
      ] };
    }
    if (path === "/wallet/getaccount") {
      const a = key(body.address);
      if (!(await this.exists(a))) return {};
      const out = this.delegatedOut(a);
      return {
        address: hexToTron(a), balance: Number(await this.balance(a)),
        frozenV2: [{}, { type: "ENERGY", amount: Number(this.frozen.get(a) ?? 0n) }, { type: "TRON_POWER" }],
        account_resource: out > 0n ? { delegated_frozenV2_balance_for_energy: Number(out) } : {},
        ...(this.delegatedIn(a) > 0n ? { acquired_delegated_frozenV2_balance_for_energy: Number(this.delegatedIn(a)) } : {}),
      };
    }
    if (path === "/wallet/getaccountresource") {
      const a = key(body.address);
      const totals = { TotalEnergyLimit: Number(TOTAL_ENERGY_LIMIT), TotalEnergyWeight: Number(TOTAL_ENERGY_LIMIT / ENERGY_PER_TRX) };
      if (!(await this.exists(a))) return totals;
      return {
        freeNetLimit: Number(FREE_NET_BYTES), freeNetUsed: Number(this.netUsed.get(a) ?? 0n),
        EnergyLimit: Number(this.energyLimit(a)), EnergyUsed: Number(this.energyUsed.get(a) ?? 0n), ...totals,
      };
    }
    if (path === "/wallet/getcandelegatedmaxsize") {
      return { max_size: Number(this.canDelegate(key(body.owner_address))) };
    }
    return { Error: `no such path ${path}` };
  }

  private async broadcast(tx: TronTransaction): Promise<unknown> {
    const c = tx.raw_data.contract[0];
    const v = c.parameter.value;
    const owner = hexToTron(String(v.owner_address));
    if (recoverTronSigner(tx) !== owner) return { code: "SIGERROR", message: hexMsg("validate signature error") };
    if (this.executed.has(tx.txID)) return { code: "DUP_TRANSACTION_ERROR", message: "" };
    const from = key(owner);
    if (!(await this.exists(from))) return { code: "CONTRACT_VALIDATE_ERROR", message: hexMsg(`Validate ${c.type} error, account [${owner}] does not exist`) };
    const bytes = BigInt(tx.raw_data_hex.length / 2) + 134n;
    let balance = await this.balance(from);
    const net = this.bandwidth(from, bytes, balance);
    if (!net) return { code: "BANDWIDTH_ERROR", message: hexMsg("Account resource insufficient error.") };
    const refuse = (m: string): Refusal => ({ code: "CONTRACT_VALIDATE_ERROR", message: hexMsg(m) });
    let anvilHash: Hex | null = null;
    let receipt: Receipt = {};
    let burned = net.netFee;
    if (c.type === "TriggerSmartContract") {
      const done = await this.trigger(tx, from, balance - net.netFee);
      if ("code" in done) return done;
      anvilHash = done.hash;
      receipt = done.receipt;
      burned += BigInt(receipt.energy_fee ?? 0);
      balance = done.balanceAfter;
    } else if (c.type === "TransferContract") {
      const to = key(v.to_address);
      const amount = BigInt(v.amount ?? 0);
      const create = (await this.exists(to)) ? 0n : CREATE_ACCOUNT_FEE_SUN;
      if (balance < amount + net.netFee + create) return refuse("Validate TransferContract error, balance is not sufficient.");
      burned += create;
      balance -= amount;
      await this.setBalance(to, (await this.balance(to)) + amount);
      this.activated.add(to);
    } else if (c.type === "FreezeBalanceV2Contract") {
      const amount = BigInt(v.frozen_balance ?? 0);
      if (amount < SUN || balance < amount + net.netFee) return refuse("frozenBalance must be at least 1 TRX and at most the balance");
      balance -= amount;
      this.frozen.set(from, (this.frozen.get(from) ?? 0n) + amount);
    } else if (c.type === "DelegateResourceContract") {
      const to = key(v.receiver_address);
      const amount = BigInt(v.balance ?? 0);
      if (!(await this.exists(to))) return refuse(`Account[${hexToTron(to)}] not exists`);
      if (amount < SUN) return refuse("delegateBalance must be greater than or equal to 1 TRX");
      if (amount > this.canDelegate(from)) return refuse("delegateBalance must be less than or equal to available FreezeEnergyV2 balance");
      this.frozen.set(from, (this.frozen.get(from) ?? 0n) - amount);
      this.delegations.set(`${from}>${to}`, (this.delegations.get(`${from}>${to}`) ?? 0n) + amount);
    } else if (c.type === "UnDelegateResourceContract") {
      const to = key(v.receiver_address);
      const amount = BigInt(v.balance ?? 0);
      const lent = this.delegations.get(`${from}>${to}`) ?? 0n;
      if (amount <= 0n || amount > lent) return refuse("insufficient delegatedFrozenBalance(Energy)");
      // the energy the receiver used of what goes back is the owner's now
      const limit = this.energyLimit(to);
      const used = this.energyUsed.get(to) ?? 0n;
      const moved = limit > 0n ? min(used, used * (amount * ENERGY_PER_TRX / SUN) / limit) : 0n;
      this.energyUsed.set(to, used - moved);
      this.energyUsed.set(from, (this.energyUsed.get(from) ?? 0n) + moved);
      this.delegations.set(`${from}>${to}`, lent - amount);
      this.frozen.set(from, (this.frozen.get(from) ?? 0n) + amount);
    }
    this.netUsed.set(from, (this.netUsed.get(from) ?? 0n) + net.netUsage);
    await this.setBalance(from, balance - burned);
    if (net.netUsage > 0n) receipt.net_usage = Number(net.netUsage);
    if (net.netFee > 0n) receipt.net_fee = Number(net.netFee);
    this.executed.set(tx.txID, anvilHash);
    this.kinds.set(tx.txID, c.type);
    this.infos.set(tx.txID, { id: tx.txID, blockNumber: await this.head(), fee: Number(burned), receipt });
    return { result: true, txid: tx.txID };
  }

  /** Runs a TriggerSmartContract on anvil with its energy limit as the gas limit; the owner's balance pays anvil's gas only in passing. */
  private async trigger(tx: TronTransaction, from: Hex, spendable: bigint): Promise<Refusal | { hash: Hex; receipt: Receipt; balanceAfter: bigint }> {
    const v = tx.raw_data.contract[0].parameter.value;
    const available = this.availableEnergy(from);
    const limit = min(BigInt(tx.raw_data.fee_limit ?? 0) / this.energyFee, available + max(0n, spendable) / this.energyFee);
    if (limit < 21_000n) return { code: "CONTRACT_VALIDATE_ERROR", message: hexMsg("fee_limit or balance too low for any energy (stand-in: refused, not mined)") };
    const gasPrice = BigInt(await rpcCall<Hex>(this.rpc, "eth_gasPrice"));
    const before = await this.balance(from);
    const topUp = limit * gasPrice;
    await this.setBalance(from, before + topUp);
    await rpcCall(this.rpc, "anvil_impersonateAccount", [from]);
    const hash = await rpcCall<Hex>(this.rpc, "eth_sendTransaction", [{
      from, to: tronToHex(hexToTron(String(v.contract_address))), data: `0x${v.data}`, gas: `0x${limit.toString(16)}`, gasPrice: `0x${gasPrice.toString(16)}`,
    }]);
    await rpcCall(this.rpc, "anvil_stopImpersonatingAccount", [from]);
    await rpcCall(this.rpc, "evm_mine");
    const r = await rpcCall<{ gasUsed: Hex; effectiveGasPrice: Hex; status: Hex }>(this.rpc, "eth_getTransactionReceipt", [hash]);
    const used = BigInt(r.gasUsed);
    const staked = min(used, available);
    const energyFee = (used - staked) * this.energyFee;
    this.energyUsed.set(from, (this.energyUsed.get(from) ?? 0n) + staked);
    // what anvil charged goes back: the balance is what it was, less what Tron burns (the caller subtracts it)
    const after = await this.balance(from);
    const balanceAfter = after - topUp + used * BigInt(r.effectiveGasPrice);
    const result = r.status === "0x1" ? "SUCCESS" : used >= limit ? "OUT_OF_ENERGY" : "REVERT";
    return { hash, balanceAfter, receipt: { result, energy_usage: Number(staked), energy_usage_total: Number(used), energy_fee: Number(energyFee) } };
  }
}
