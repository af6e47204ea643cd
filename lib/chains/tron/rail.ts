// Tron's payout rail: its m/44'/195' keys (with the raw private key the TronGrid path signs with
// tronweb), fees and sends through the network's TronSender (JSON-RPC on the anvil-backed devnet,
// TronGrid otherwise), outbound rows in base58check.
import { NATIVE_TRANSFER_GAS, type Rail } from "../evm/rail";
import { networkSpec } from "@/lib/config/networks";
import { tronAccountAt, tronPrivateKeyAt } from "@/lib/keys/derive";
import { fenced } from "@/lib/worker/leases";
import { hexToTron, wireAddress } from "./address";
import { tronSender } from "./sender";

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
  stored: (address) => hexToTron(wireAddress(address)),
  // the anvil-backed devnet counts its coin in 18-decimal units; a Tron node in sun
  nativeDecimals: (chain) => (chain.tron?.sender === "jsonrpc" ? 18 : networkSpec(chain.network)?.assets.find((a) => a.contract === null)?.decimals ?? 6),
  // eth_call answers at `latest` only; deposits are confirmed at depth already
  historicalReads: false,
};
