// The Solana family: base58 32-byte accounts; payers pay the merchant's own wallet directly
// (settlement "direct": no receiver, no hot wallet, nothing to forward), each payment request
// carrying a fresh reference key the watcher finds it by (Solana Pay).
import type { ChainFamily } from "../family";
import { nativeAssetCode } from "@/lib/config/networks";
import { solanaAddressProblem } from "./address";
import { solanaPayUri } from "./prompt";
import { solanaNetworkWatcher } from "./run-watcher";
import { SolanaWatcher } from "./watcher";

export const solana: ChainFamily = {
  id: "solana",
  displayName: "Solana",
  addresses: {
    problem: (s) => solanaAddressProblem(s),
    canonical: (s) => s,
    stored: (s) => s,
    key: (s) => s,
    burn: ["11111111111111111111111111111111", "1nc1nerator11111111111111111111111111111111"],
    example: "9WzDXwBbmkg8ZTbNMqUxvQRAyrZzDsGYdLVL9zYtAWWM",
    placeholder: "Solana wallet (base58)",
  },
  settlement: "direct",
  receivers: "none",
  prompt: "transaction",
  promptUri: (req) => solanaPayUri(req),
  watcher: (chain) => solanaNetworkWatcher(new SolanaWatcher(chain)),
  // settles directly to the merchant's wallet: no hot wallet, nothing of ours to send
  hotWallet: async () => null,
  nativeAsset: (network) => nativeAssetCode(network),
};
