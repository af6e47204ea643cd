// The EVM family (Ethereum, Polygon, BNB Smart Chain, …): 20-byte accounts shown EIP-55,
// receivers at m/44'/60'/0'/0/i, one log scanner per chain over JSON-RPC, deposits forwarded from
// a receiver of ours to the merchant's settlement address.
import type { ChainFamily } from "../family";
import { evmChoices } from "./choices";
import { nativeAssetCode } from "@/lib/config/networks";
import { EVM_ACCOUNT_PATH, evmAddressAt, evmXpub, HOT_WALLET_INDEX } from "@/lib/keys/derive";
import { xpubOf } from "@/lib/keys/roots";
import { canonicalEvmAddress, evmAddressProblem } from "./address";
import { transactionCredits } from "./check";
import type { Hex } from "./chain-reader";
import { jsonRpcBalances } from "./balances";
import { eip681 } from "./prompt";
import { evmRail } from "./rail";
import { evmNetworkWatcher } from "./run-watcher";
import { EvmWatcher } from "./watcher";
import { reconcile } from "./sender";
import { reconcileBatches } from "./sweeper";

export const evm: ChainFamily = {
  id: "evm",
  displayName: "EVM",
  addresses: {
    problem: (s) => evmAddressProblem(s),
    canonical: (s) => canonicalEvmAddress(s),
    stored: (s) => canonicalEvmAddress(s.toLowerCase()),
    key: (s) => s.toLowerCase(),
    burn: ["0x0000000000000000000000000000000000000000", "0x000000000000000000000000000000000000dead"],
    example: "0xd8dA6BF26964aF9D7eEd9e03E53415D37aA96045",
    hint: "Enter a valid EVM address: 0x followed by 40 hex characters (a mixed-case address must match its checksum).",
    placeholder: "0x…",
  },
  keys: {
    path: EVM_ACCOUNT_PATH,
    publicRoot: (mnemonic) => evmXpub(mnemonic),
    addressAt: (root, index) => evmAddressAt(root, index),
    reusable: true,
  },
  settlement: "forward",
  depositAddresses: true,
  receivers: "per-checkout",
  prompt: "receiver",
  promptUri: (req) => eip681(req),
  tokenChoices: (livemode) => evmChoices(livemode),
  watcher: (chain) => evmNetworkWatcher(new EvmWatcher(chain)),
  checkTransaction: (chain, txHash, receivers, ignored) => transactionCredits(chain, txHash as Hex, receivers, ignored),
  // read when used, not at module load: the rail's sender and this module import each other through lib/addresses
  sender: {
    reconcile: async (chain, opts) => {
      await reconcileBatches(chain, opts);
      await reconcile(chain, opts);
    },
    get rail() { return evmRail; },
  },
  balances: jsonRpcBalances((a) => a),
  hotWallet: async () => {
    const root = await xpubOf("evm");
    return root ? evmAddressAt(root, HOT_WALLET_INDEX) : null;
  },
  nativeAsset: (network) => nativeAssetCode(network),
};
