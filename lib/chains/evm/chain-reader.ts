// What the watcher reads from an EVM chain, as plain typed values. RpcChainReader implements it
// over JSON-RPC; the unit tests implement it with an in-memory chain.
import { EvmRpc, type RpcCall } from "./rpc";

export type Hex = `0x${string}`;

/** keccak256("Transfer(address,address,uint256)") */
export const TRANSFER_TOPIC: Hex = "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef";

export type BlockHeader = { number: number; hash: Hex; parentHash: Hex; timestamp: number };
/** A top-level transaction; addresses lower case. */
export type NativeTx = { hash: Hex; from: Hex; to: Hex | null; value: bigint };
export type ChainBlock = BlockHeader & { transactions?: NativeTx[] };
/** An ERC-20 Transfer log; addresses lower case. */
export type TransferLog = {
  token: Hex; from: Hex; to: Hex; value: bigint;
  blockNumber: number; blockHash: Hex; txHash: Hex; logIndex: number;
};

export type ChainReader = {
  /** the latest block's header */
  head(): Promise<BlockHeader>;
  /** blocks by number, with their transactions when `withTxs`; null where the chain has none (yet) */
  blocks(numbers: readonly number[], withTxs: boolean): Promise<(ChainBlock | null)[]>;
  /** Transfer logs of `tokens` in [from, to], one eth_getLogs call */
  transferLogs(from: number, to: number, tokens: readonly Hex[]): Promise<TransferLog[]>;
  /** whether a mined transaction succeeded (a reverted one moved no value) */
  txSucceeded(hash: Hex): Promise<boolean>;
};

type RawTx = { hash: Hex; from: Hex; to: Hex | null; value: Hex };
type RawBlock = { number: Hex; hash: Hex; parentHash: Hex; timestamp: Hex; transactions: (RawTx | Hex)[] };
export type RawLog = {
  address: Hex; topics: Hex[]; data: Hex; blockNumber: Hex; blockHash: Hex; transactionHash: Hex; logIndex: Hex; removed?: boolean;
};

export const hex = (n: number | bigint): Hex => `0x${n.toString(16)}`;
const num = (h: Hex): number => Number.parseInt(h, 16);

/** A provider answer that contradicts itself or the request: refetch, never use as data. */
export class InconsistentChainError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InconsistentChainError";
  }
}

export function parseBlock(raw: RawBlock, withTxs: boolean): ChainBlock {
  const block: ChainBlock = { number: num(raw.number), hash: raw.hash, parentHash: raw.parentHash, timestamp: num(raw.timestamp) };
  if (withTxs) {
    block.transactions = raw.transactions.map((t) => {
      if (typeof t === "string") throw new InconsistentChainError(`block ${raw.number} came without transaction objects`);
      return { hash: t.hash, from: t.from.toLowerCase() as Hex, to: t.to ? (t.to.toLowerCase() as Hex) : null, value: BigInt(t.value) };
    });
  }
  return block;
}

/** A Transfer(address indexed, address indexed, uint256) log, or null for anything else (e.g. ERC-721's 4 topics). */
export function parseTransferLog(l: RawLog): TransferLog | null {
  if (l.topics.length !== 3 || l.topics[0] !== TRANSFER_TOPIC || l.data.length !== 66) return null;
  return {
    token: l.address.toLowerCase() as Hex,
    from: `0x${l.topics[1].slice(26).toLowerCase()}`,
    to: `0x${l.topics[2].slice(26).toLowerCase()}`,
    value: BigInt(l.data),
    blockNumber: num(l.blockNumber),
    blockHash: l.blockHash,
    txHash: l.transactionHash,
    logIndex: num(l.logIndex),
  };
}

export class RpcChainReader implements ChainReader {
  constructor(readonly rpc: EvmRpc) {}

  async head(): Promise<BlockHeader> {
    const raw = await this.rpc.request<RawBlock | null>("eth_getBlockByNumber", ["latest", false]);
    if (!raw) throw new InconsistentChainError("the node returned no latest block");
    return parseBlock(raw, false);
  }

  async blocks(numbers: readonly number[], withTxs: boolean): Promise<(ChainBlock | null)[]> {
    const calls: RpcCall[] = numbers.map((n) => ({ method: "eth_getBlockByNumber", params: [hex(n), withTxs] }));
    const raws = await this.rpc.batch<RawBlock | null>(calls);
    return raws.map((r, i) => {
      if (!r) return null;
      const b = parseBlock(r, withTxs);
      if (b.number !== numbers[i]) throw new InconsistentChainError(`asked for block ${numbers[i]}, got ${b.number}`);
      return b;
    });
  }

  async transferLogs(from: number, to: number, tokens: readonly Hex[]): Promise<TransferLog[]> {
    if (tokens.length === 0) return [];
    const raws = await this.rpc.request<RawLog[]>("eth_getLogs", [{ fromBlock: hex(from), toBlock: hex(to), address: tokens, topics: [TRANSFER_TOPIC] }]);
    const wanted = new Set(tokens.map((t) => t.toLowerCase()));
    const out: TransferLog[] = [];
    for (const raw of raws) {
      if (raw.removed) throw new InconsistentChainError(`eth_getLogs returned a removed log (tx ${raw.transactionHash})`);
      const log = parseTransferLog(raw);
      if (!log) continue;
      if (log.blockNumber < from || log.blockNumber > to || !wanted.has(log.token)) {
        throw new InconsistentChainError(`eth_getLogs [${from}, ${to}] returned a log of ${log.token} in block ${log.blockNumber}`);
      }
      out.push(log);
    }
    return out;
  }

  async txSucceeded(hash: Hex): Promise<boolean> {
    const r = await this.rpc.request<{ status?: Hex } | null>("eth_getTransactionReceipt", [hash]);
    if (!r) throw new InconsistentChainError(`no receipt for mined transaction ${hash}`);
    return r.status === undefined || r.status === "0x1"; // pre-Byzantium receipts have no status
  }
}
