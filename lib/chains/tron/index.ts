// The Tron family: base58check T… accounts (0x41 + the same 20-byte hash as EVM), receivers at
// m/44'/195'/0'/0/i. Full nodes serve an Ethereum-style JSON-RPC, so deposits are found by the
// EVM log scanner; transactions go out through a TronSender (./sender: TronGrid with tronweb, or
// EVM-signed JSON-RPC on the anvil-backed devnet). Deposits are forwarded like EVM ones.
import type { ChainFamily } from "../family";
import { tronChoices } from "./choices";
import { jsonRpcBalances } from "../evm/balances";
import type { Hex } from "../evm/chain-reader";
import { transactionCredits } from "../evm/check";
import { evmNetworkWatcher } from "../evm/run-watcher";
import { EvmWatcher } from "../evm/watcher";
import { nativeAssetCode } from "@/lib/config/networks";
import { HOT_WALLET_INDEX, TRON_ACCOUNT_PATH, tronAddressAt, tronXpub } from "@/lib/keys/derive";
import { xpubOf } from "@/lib/keys/roots";
import { hexToTron, tronAddressProblem, wireAddress } from "./address";
import { tronUri } from "./prompt";
import { tronRail } from "./rail";
import { tronSender } from "./sender";

export const tron: ChainFamily = {
  id: "tron",
  displayName: "Tron",
  addresses: {
    problem: (s) => tronAddressProblem(s),
    canonical: (s) => s,
    stored: (s) => hexToTron(wireAddress(s)),
    key: (s) => wireAddress(s),
    burn: ["T9yD14Nj9j7xAB4dbGeiX9h8unkKHxuWwb"], // base58check of 0x41 + 20 zero bytes
    example: "TJRabPrwbZy45sbavfcjinPJC18kjpRTv8",
    hint: "Enter a valid Tron address: 34 characters starting with T (base58check; the checksum must match).",
    placeholder: "T…",
  },
  keys: {
    path: TRON_ACCOUNT_PATH,
    publicRoot: (mnemonic) => tronXpub(mnemonic),
    addressAt: (root, index) => tronAddressAt(root, index),
  },
  settlement: "forward",
  depositAddresses: true,
  receivers: "per-checkout",
  prompt: "receiver",
  promptUri: (req) => tronUri(req),
  // the EVM log scanner over the node's Ethereum-style JSON-RPC (addresses in their 0x form)
  tokenChoices: (livemode) => tronChoices(livemode),
  watcher: (chain) => evmNetworkWatcher(new EvmWatcher(chain)),
  checkTransaction: (chain, txHash, receivers, ignored) => transactionCredits(chain, txHash as Hex, receivers, ignored),
  // read when used, not at module load (see ../evm/index)
  sender: {
    reconcile: (chain, opts) => tronSender(chain).reconcile(opts),
    get rail() { return tronRail; },
    // loaded when used: ./energy needs the TronGrid sender
    receiverEnergy: async (chain, step) => (await import("./energy")).prepareEnergy(chain, step),
  },
  balances: jsonRpcBalances(wireAddress),
  hotWallet: async () => {
    const root = await xpubOf("tron");
    return root ? tronAddressAt(root, HOT_WALLET_INDEX) : null;
  },
  nativeAsset: (network) => nativeAssetCode(network),
};
