// What the watcher reads from an EVM chain, as plain typed values. RpcChainReader implements it
// over JSON-RPC; the unit tests implement it with an in-memory chain.
import { EvmRpc, type RpcCall } from "./rpc";

export type Hex = `0x${string}`;

/** keccak256("Transfer(address,address,uint256)") */
export const TRANSFER_TOPIC: Hex = "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef";

export type BlockHeader = { number: number; hash: Hex; parentHash: Hex; timestamp: number };
/** A top-level transaction; addresses lower case. */
export type NativeTx = { hash: Hex; from: Hex; to: Hex | null; value: bigint };
/** `logsBloom`: the node's bloom over the block's logs (doubts an incomplete eth_getLogs answer, see bloom.ts) */
export type ChainBlock = BlockHeader & { transactions?: NativeTx[]; logsBloom?: Hex };
/** The head, and the chain id the same node reported with it (one batch). */
export type Head = BlockHeader & { chainId?: number };
/** An ERC-20 Transfer log; addresses lower case. */
export type TransferLog = {
  token: Hex; from: Hex; to: Hex; value: bigint;
  blockNumber: number; blockHash: Hex; txHash: Hex; logIndex: number;
};

export type ChainReader = {
  /** the latest block's header, with the node's chain id when it reports one */
  head(): Promise<Head>;
  /** blocks by number, with their transactions when `withTxs`; null where the chain has none (yet) */
  blocks(numbers: readonly number[], withTxs: boolean): Promise<(ChainBlock | null)[]>;
  /** Transfer logs of `tokens` in [from, to], one eth_getLogs call */
  transferLogs(from: number, to: number, tokens: readonly Hex[]): Promise<TransferLog[]>;
  /** Transfer logs of `tokens` in each of these blocks, by block hash (EIP-234: a node without the block errs, it does not answer []) */
  transferLogsByHash(hashes: readonly Hex[], tokens: readonly Hex[]): Promise<TransferLog[][]>;
  /** Transfer logs of `tokens` in one block, read from its receipts; null when the node does not know the block */
  receiptTransferLogs(hash: Hex, tokens: readonly Hex[]): Promise<TransferLog[] | null>;
  /** Transfer logs of `tokens` to these recipients in [from, to] (rescanning for receivers loaded late) */
  transferLogsTo(from: number, to: number, tokens: readonly Hex[], recipients: readonly Hex[]): Promise<TransferLog[]>;
  /** whether a mined transaction succeeded (a reverted one moved no value) */
  txSucceeded(hash: Hex): Promise<boolean>;
};

type RawTx = { hash: Hex; from: Hex; to: Hex | null; value: Hex };
type RawBlock = { number: Hex; hash: Hex; parentHash: Hex; timestamp: Hex; logsBloom?: Hex; transactions: (RawTx | Hex)[] };
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
  if (raw.logsBloom) block.logsBloom = raw.logsBloom;
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

  async head(): Promise<Head> {
    // one HTTP request: behind a load balancer both answers come from the same node
    const [chainId, raw] = await this.rpc.batch<unknown>([
      { method: "eth_chainId", params: [] },
      { method: "eth_getBlockByNumber", params: ["latest", false] },
    ]);
    if (!raw) throw new InconsistentChainError("the node returned no latest block");
    const { logsBloom: _, ...head } = parseBlock(raw as RawBlock, false);
    return typeof chainId === "string" ? { ...head, chainId: num(chainId as Hex) } : head;
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
    return this.parseLogs(raws, tokens, `[${from}, ${to}]`, (l) => l.blockNumber >= from && l.blockNumber <= to);
  }

  async transferLogsByHash(hashes: readonly Hex[], tokens: readonly Hex[]): Promise<TransferLog[][]> {
    if (tokens.length === 0 || hashes.length === 0) return hashes.map(() => []);
    const answers = await this.rpc.batch<RawLog[]>(hashes.map((blockHash) => ({
      method: "eth_getLogs", params: [{ blockHash, address: tokens, topics: [TRANSFER_TOPIC] }],
    })));
    return answers.map((raws, i) => this.parseLogs(raws ?? [], tokens, `block ${hashes[i]}`, (l) => l.blockHash === hashes[i]));
  }

  async receiptTransferLogs(hash: Hex, tokens: readonly Hex[]): Promise<TransferLog[] | null> {
    const receipts = await this.rpc.request<{ blockHash: Hex; logs: RawLog[] }[] | null>("eth_getBlockReceipts", [hash]);
    if (!receipts) return null;
    const raws: RawLog[] = [];
    for (const r of receipts) {
      if (r.blockHash !== hash) throw new InconsistentChainError(`eth_getBlockReceipts(${hash}) returned a receipt of block ${r.blockHash}`);
      raws.push(...r.logs);
    }
    const wanted = new Set(tokens.map((t) => t.toLowerCase()));
    return this.parseLogs(raws.filter((l) => wanted.has(l.address.toLowerCase()) && l.topics[0] === TRANSFER_TOPIC), tokens, `block ${hash}`, (l) => l.blockHash === hash);
  }

  async transferLogsTo(from: number, to: number, tokens: readonly Hex[], recipients: readonly Hex[]): Promise<TransferLog[]> {
    if (tokens.length === 0 || recipients.length === 0) return [];
    const padded = recipients.map((a) => `0x${a.slice(2).toLowerCase().padStart(64, "0")}`);
    const raws = await this.rpc.request<RawLog[]>("eth_getLogs", [{ fromBlock: hex(from), toBlock: hex(to), address: tokens, topics: [TRANSFER_TOPIC, null, padded] }]);
    return this.parseLogs(raws, tokens, `[${from}, ${to}]`, (l) => l.blockNumber >= from && l.blockNumber <= to);
  }

  private parseLogs(raws: readonly RawLog[], tokens: readonly Hex[], what: string, inScope: (l: TransferLog) => boolean): TransferLog[] {
    const wanted = new Set(tokens.map((t) => t.toLowerCase()));
    const out: TransferLog[] = [];
    for (const raw of raws) {
      if (raw.removed) throw new InconsistentChainError(`eth_getLogs returned a removed log (tx ${raw.transactionHash})`);
      const log = parseTransferLog(raw);
      if (!log) continue;
      if (!inScope(log) || !wanted.has(log.token)) throw new InconsistentChainError(`the logs of ${what} include a log of ${log.token} in block ${log.blockNumber} ${log.blockHash}`);
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
