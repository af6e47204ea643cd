// PUT /v1/sessions/{id}/check on an EVM-like chain (EVM, and Tron over its Ethereum-style
// JSON-RPC): the receipt's Transfer logs (and the transaction's own value) to the checkout's
// receivers become credits, exactly as the log scanner would find them.
import type { ChainConfig } from "@/lib/config";
import { chainAssets } from "@/lib/deposits/assets";
import type { Credit } from "@/lib/deposits/credit";
import { parseTransferLog, type Hex, type RawLog } from "./chain-reader";
import { chainRpc } from "./rpc";

type Receipt = { status?: Hex; blockNumber: Hex; blockHash: Hex; logs: RawLog[] };
type RawTx = { from: Hex; to: Hex | null; value: Hex };

/** The credits `txHash` made to `watched` on one chain, or null when the chain does not know it. */
export async function transactionCredits(chain: ChainConfig, txHash: Hex, watched: ReadonlySet<string>, ignoredSenders: ReadonlySet<string>): Promise<Credit[] | null> {
  const rpc = chainRpc(chain);
  const receipt = await rpc.request<Receipt | null>("eth_getTransactionReceipt", [txHash]);
  if (!receipt) return null;
  if (receipt.status !== undefined && receipt.status !== "0x1") return [];
  const [block, tx] = await rpc.batch<unknown>([
    { method: "eth_getBlockByNumber", params: [receipt.blockNumber, false] },
    { method: "eth_getTransactionByHash", params: [txHash] },
  ]) as [{ hash: Hex; timestamp: Hex } | null, RawTx | null];
  // a receipt from a block the node no longer has at that height is stale: nothing to record
  if (!block || block.hash !== receipt.blockHash) return [];
  const base = {
    network: chain.network, livemode: chain.livemode, chainId: chain.chainId, txHash,
    blockNumber: Number.parseInt(receipt.blockNumber, 16), blockHash: receipt.blockHash, blockTime: new Date(Number.parseInt(block.timestamp, 16) * 1000),
  };
  const { tokens, native } = chainAssets(chain);
  const out: Credit[] = [];
  for (const raw of receipt.logs) {
    const l = parseTransferLog(raw);
    const asset = l && tokens.get(l.token);
    if (!l || !asset || !watched.has(l.to) || l.value === 0n) continue;
    out.push({ ...base, logIndex: l.logIndex, from: l.from, to: l.to, tokenAddress: l.token, assetCode: asset.code, amount: l.value });
  }
  const to = tx?.to?.toLowerCase();
  if (native && tx && to && watched.has(to) && BigInt(tx.value) > 0n && !ignoredSenders.has(tx.from.toLowerCase())) {
    out.push({ ...base, logIndex: -1, from: tx.from.toLowerCase() as Hex, to: to as Hex, tokenAddress: null, assetCode: native.code, amount: BigInt(tx.value) });
  }
  return out;
}
