// How one network family's withdrawal engine signs and sends: the accounts at an index of the
// instance mnemonic, fee quotes, and the sender that commits a signed transaction before it is
// broadcast. EVM signs EIP-1559 transactions (lib/chains/evm/sender); Tron goes through the
// network's TronSender (JSON-RPC on the anvil-backed devnet, TronGrid with tronweb otherwise),
// with its m/44'/195' keys and outbound rows in base58check.
import type { Hex, LocalAccount } from "viem";
import { storedAddress } from "@/lib/addresses";
import {
  broadcast as evmBroadcast, estimateFees, signAndRecord as evmSignAndRecord, type Fees, type OutboundRow, type SendRequest,
} from "@/lib/chains/evm/sender";
import { tronSender } from "@/lib/chains/tron/sender";
import type { ChainConfig } from "@/lib/config";
import { networkSpec } from "@/lib/config/networks";
import { evmAccountAt, tronAccountAt, tronPrivateKeyAt } from "@/lib/keys/derive";
import { fenced } from "@/lib/worker/leases";

/** A signing account: viem's view of it (0x address) plus, for Tron's TronGrid path, its raw key. */
export type Signer = { account: LocalAccount; privateKey: Hex | null };

/** What a transaction costs: `fees.maxFeePerGas` per gas unit plus a fixed `extra` (Tron bandwidth). */
export type Quote = { fees: Fees; extra: bigint };

export type Rail = {
  family: "evm" | "tron";
  signerAt(mnemonic: string, index: number | bigint): Signer;
  quote(chain: ChainConfig): Promise<Quote>;
  /** the most a native-coin transfer of `gas` can cost under `q` */
  nativeTransferCost(chain: ChainConfig, q: Quote, gas?: bigint): bigint;
  signAndRecord(chain: ChainConfig, signer: Signer, req: Omit<SendRequest, "chain" | "account">): Promise<OutboundRow | null>;
  broadcast(chain: ChainConfig, row: OutboundRow): Promise<unknown>;
  /** how outbound_txs stores an account of this family */
  stored(address: string): string;
  /** decimals of the native coin's base units as the node counts them */
  nativeDecimals(chain: ChainConfig): number;
};

/** A plain coin transfer to an externally owned account. */
export const NATIVE_TRANSFER_GAS = 21_000n;

export const evmRail: Rail = {
  family: "evm",
  signerAt: (mnemonic, index) => ({ account: evmAccountAt(mnemonic, index), privateKey: null }),
  quote: async (chain) => ({ fees: await estimateFees(chain), extra: 0n }),
  nativeTransferCost: (_chain, q, gas = NATIVE_TRANSFER_GAS) => gas * q.fees.maxFeePerGas,
  // every signature is fenced: a worker that lost the network's lease records nothing
  signAndRecord: (chain, signer, req) => evmSignAndRecord({ ...req, guard: fenced(req.guard), chain, account: signer.account }),
  broadcast: (chain, row) => evmBroadcast(chain, row),
  stored: (address) => storedAddress("evm", address),
  nativeDecimals: () => 18,
};

export const tronRail: Rail = {
  family: "tron",
  signerAt: (mnemonic, index) => ({ account: tronAccountAt(mnemonic, index), privateKey: tronPrivateKeyAt(mnemonic, index) }),
  quote: (chain) => tronSender(chain).fees(),
  // a TRX TransferContract burns bandwidth only; the devnet's EVM-signed transfer pays gas
  nativeTransferCost: (chain, q, gas = NATIVE_TRANSFER_GAS) => (tronSender(chain).kind === "trongrid" ? q.extra : gas * q.fees.maxFeePerGas + q.extra),
  signAndRecord: (chain, signer, req) => {
    if (!signer.privateKey) throw new Error("a Tron signer needs its private key");
    return tronSender(chain).signAndRecord({ ...req, guard: fenced(req.guard), chain, account: signer.account, privateKey: signer.privateKey });
  },
  broadcast: (chain, row) => tronSender(chain).broadcast(row),
  stored: (address) => storedAddress("tron", address),
  // the anvil-backed devnet counts its coin in 18-decimal units; a Tron node in sun
  nativeDecimals: (chain) => (chain.tron?.sender === "jsonrpc" ? 18 : networkSpec(chain.network)?.assets.find((a) => a.contract === null)?.decimals ?? 6),
};
