// A TronGrid-compatible HTTP API client (the /wallet endpoints of a java-tron full node, as
// TronGrid serves them): the current block for transaction references, broadcasting signed
// transactions, a transaction's outcome and cost, and the Stake 2.0 reads energy loans need
// (accounts, their resources, what can be delegated, the energy price). The API key goes in a header, never in a URL.
import type { TronTransaction, RefBlock } from "./tx";

export type TronGridOptions = { apiUrl: string; apiKey?: string; timeoutMs?: number; fetchFn?: typeof fetch };

/** What /wallet/gettransactioninfobyid says about a mined transaction. */
export type TronTxInfo = {
  blockNumber: number;
  /** total TRX burned, in sun (energy + bandwidth + other fees) */
  fee: bigint;
  /** "SUCCESS" for a TRC-20 call that did not revert; absent for plain TRX transfers */
  result: string | null;
  success: boolean;
  /** energy consumed (receipt.energy_usage_total: staked or delegated energy, plus what was burned for) */
  energyUsed: bigint;
  /** sun burned for energy (receipt.energy_fee) */
  energyFee: bigint;
  /** bandwidth consumed, in bytes (receipt.net_usage; when it was burned for, net_fee / the byte price is not reported and this is 0) */
  netUsage: bigint;
  /** sun burned for bandwidth (receipt.net_fee) */
  netFee: bigint;
};

/** /wallet/getaccountresource (fields the node leaves out are 0). */
export type TronAccountResource = {
  energyLimit: bigint;
  energyUsed: bigint;
  freeNetLimit: bigint;
  freeNetUsed: bigint;
  netLimit: bigint;
  netUsed: bigint;
  /** the network's energy per day and TRX staked for it: energy per staked TRX = totalEnergyLimit / totalEnergyWeight */
  totalEnergyLimit: bigint;
  totalEnergyWeight: bigint;
};

/** /wallet/getaccount: null when the account does not exist on chain (never activated). */
export type TronAccount = {
  balance: bigint;
  /** sun staked for energy (Stake 2.0 frozenV2, type ENERGY) */
  stakedForEnergy: bigint;
  /** of it, sun whose energy is delegated to others */
  delegatedEnergy: bigint;
};

export type BroadcastAnswer = { ok: true } | { ok: false; code: string; message: string };

export class TronGridError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TronGridError";
  }
}

function hexMessage(m: unknown): string {
  if (typeof m !== "string") return "";
  return /^[0-9a-fA-F]+$/.test(m) && m.length % 2 === 0 ? Buffer.from(m, "hex").toString("utf8") : m;
}

export class TronGridClient {
  private readonly apiUrl: string;
  private readonly fetchFn: typeof fetch;
  constructor(private readonly opts: TronGridOptions) {
    this.apiUrl = opts.apiUrl.replace(/\/+$/, "");
    this.fetchFn = opts.fetchFn ?? fetch;
  }

  private async post<T>(path: string, body: unknown): Promise<T> {
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (this.opts.apiKey) headers["TRON-PRO-API-KEY"] = this.opts.apiKey;
    let res: Response;
    try {
      res = await this.fetchFn(`${this.apiUrl}${path}`, {
        method: "POST", headers, body: JSON.stringify(body), signal: AbortSignal.timeout(this.opts.timeoutMs ?? 10_000),
      });
    } catch (e) {
      throw new TronGridError(`${path}: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (!res.ok) throw new TronGridError(`${path}: HTTP ${res.status} from ${new URL(this.apiUrl).origin}`);
    return (await res.json()) as T;
  }

  /** The latest block, as a transaction reference. */
  async nowBlock(): Promise<RefBlock> {
    return this.block("/wallet/getnowblock");
  }

  /** The newest solidified (irreversible) block the node has: everything up to it, the node knows. */
  async solidBlock(): Promise<RefBlock> {
    return this.block("/walletsolidity/getnowblock");
  }

  private async block(path: string): Promise<RefBlock> {
    const b = await this.post<{ blockID?: string; block_header?: { raw_data?: { number?: number; timestamp?: number } } }>(path, {});
    const raw = b.block_header?.raw_data;
    if (!b.blockID || raw?.number === undefined || raw.timestamp === undefined) throw new TronGridError(`${path}: unexpected answer`);
    return { number: raw.number, hash: `0x${b.blockID}`, timestamp: Math.floor(raw.timestamp / 1000) };
  }

  /** Whether the node has any record of the transaction (/wallet/gettransactionbyid: an empty object when it has none). */
  async knows(txID: string): Promise<boolean> {
    const t = await this.post<{ txID?: string }>("/wallet/gettransactionbyid", { value: txID.replace(/^0x/, "") });
    return typeof t.txID === "string" && t.txID.length > 0;
  }

  async broadcast(tx: TronTransaction): Promise<BroadcastAnswer> {
    const a = await this.post<{ result?: boolean; txid?: string; code?: string; message?: string }>("/wallet/broadcasttransaction", tx);
    if (a.result === true) return { ok: true };
    return { ok: false, code: a.code ?? "UNKNOWN", message: hexMessage(a.message) || "broadcast refused" };
  }

  /** null while the transaction is not in a block (unknown, or still pending). */
  async txInfo(txID: string): Promise<TronTxInfo | null> {
    type Receipt = { result?: string; energy_usage?: number; energy_usage_total?: number; energy_fee?: number; net_usage?: number; net_fee?: number };
    const i = await this.post<{ id?: string; blockNumber?: number; fee?: number; receipt?: Receipt }>(
      "/wallet/gettransactioninfobyid", { value: txID.replace(/^0x/, "") });
    if (!i.id || i.blockNumber === undefined) return null;
    const r = i.receipt ?? {};
    const result = r.result ?? null;
    return {
      blockNumber: i.blockNumber, fee: BigInt(i.fee ?? 0), result, success: result === null || result === "SUCCESS",
      energyUsed: BigInt(r.energy_usage_total ?? r.energy_usage ?? 0), energyFee: BigInt(r.energy_fee ?? 0),
      netUsage: BigInt(r.net_usage ?? 0), netFee: BigInt(r.net_fee ?? 0),
    };
  }

  /** The chain's parameters by key (/wallet/getchainparameters): getEnergyFee (sun per energy), getTransactionFee (sun per bandwidth byte), … */
  async chainParameters(): Promise<Map<string, bigint>> {
    const a = await this.post<{ chainParameter?: { key: string; value?: number }[] }>("/wallet/getchainparameters", {});
    if (!Array.isArray(a.chainParameter)) throw new TronGridError("/wallet/getchainparameters: unexpected answer");
    return new Map(a.chainParameter.map((p) => [p.key, BigInt(p.value ?? 0)]));
  }

  /** Sun burned per unit of energy a transaction is short of (chain parameter getEnergyFee). */
  async energyFee(): Promise<bigint> {
    const fee = (await this.chainParameters()).get("getEnergyFee");
    if (!fee || fee <= 0n) throw new TronGridError("/wallet/getchainparameters: no getEnergyFee");
    return fee;
  }

  /** `address`: base58check. */
  async account(address: string): Promise<TronAccount | null> {
    type FrozenV2 = { type?: string; amount?: number };
    const a = await this.post<{ address?: string; balance?: number; frozenV2?: FrozenV2[]; account_resource?: { delegated_frozenV2_balance_for_energy?: number } }>(
      "/wallet/getaccount", { address, visible: true });
    if (!a.address) return null;
    const staked = (a.frozenV2 ?? []).filter((f) => f.type === "ENERGY").reduce((sum, f) => sum + BigInt(f.amount ?? 0), 0n);
    return { balance: BigInt(a.balance ?? 0), stakedForEnergy: staked, delegatedEnergy: BigInt(a.account_resource?.delegated_frozenV2_balance_for_energy ?? 0) };
  }

  /** `address`: base58check. */
  async accountResource(address: string): Promise<TronAccountResource> {
    const a = await this.post<Record<string, number | undefined>>("/wallet/getaccountresource", { address, visible: true });
    const n = (k: string) => BigInt(a[k] ?? 0);
    return {
      energyLimit: n("EnergyLimit"), energyUsed: n("EnergyUsed"), freeNetLimit: n("freeNetLimit"), freeNetUsed: n("freeNetUsed"),
      netLimit: n("NetLimit"), netUsed: n("NetUsed"), totalEnergyLimit: n("TotalEnergyLimit"), totalEnergyWeight: n("TotalEnergyWeight"),
    };
  }

  /** The most sun of staked TRX whose energy `address` (base58check) can delegate now (/wallet/getcandelegatedmaxsize, type 1: energy). */
  async canDelegateEnergy(address: string): Promise<bigint> {
    const a = await this.post<{ max_size?: number }>("/wallet/getcandelegatedmaxsize", { owner_address: address, type: 1, visible: true });
    return BigInt(a.max_size ?? 0);
  }
}
