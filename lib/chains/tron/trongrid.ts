// A TronGrid-compatible HTTP API client (the /wallet endpoints of a java-tron full node, as
// TronGrid serves them): the current block for transaction references, broadcasting signed
// transactions, and a transaction's outcome and cost. The API key goes in a header, never in a URL.
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
    const i = await this.post<{ id?: string; blockNumber?: number; fee?: number; receipt?: { result?: string } }>(
      "/wallet/gettransactioninfobyid", { value: txID.replace(/^0x/, "") });
    if (!i.id || i.blockNumber === undefined) return null;
    const result = i.receipt?.result ?? null;
    return { blockNumber: i.blockNumber, fee: BigInt(i.fee ?? 0), result, success: result === null || result === "SUCCESS" };
  }
}
