// The payout rail of an account chain that sends one transfer per transaction (EVM; Tron in
// ../tron/rail): the accounts at an index of the instance mnemonic, fee quotes, and the sender
// that commits a signed transaction before it is broadcast. The hot-wallet withdrawal engine
// (lib/withdrawals/engines/hot-wallet) drives it. EVM signs EIP-1559 transactions (./sender).
import type { Hex, LocalAccount } from "viem";
import type { ChainConfig } from "@/lib/config";
import { evmAccountAt } from "@/lib/keys/derive";
import { fenced } from "@/lib/worker/leases";
import { canonicalEvmAddress } from "./address";
import {
  broadcast as evmBroadcast, estimateFees, signAndRecord as evmSignAndRecord, type Fees, type OutboundRow, type SendRequest,
} from "./sender";

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
  /** the node answers eth_call at an older height (Tron's JSON-RPC answers `latest` only) */
  historicalReads: boolean;
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
  stored: (address) => canonicalEvmAddress(address.toLowerCase()),
  nativeDecimals: () => 18,
  historicalReads: true,
};
