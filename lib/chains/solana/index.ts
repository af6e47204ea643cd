// The Solana family: base58 32-byte accounts. Checkout payers pay the merchant's own wallet
// directly (settlement "direct": nothing to forward), each payment request carrying a fresh
// reference key the watcher finds it by (Solana Pay). Permanent deposit addresses are ours:
// derived at m/44'/501'/i'/0' (./keys, handed out through key_pool), credited by the watcher's
// block scan (./deposit-scanner), swept and paid out with the hot wallet (index 0) as fee payer
// (./withdrawals).
import type { ChainFamily } from "../family";
import { nativeAssetCode } from "@/lib/config/networks";
import { HOT_WALLET_INDEX } from "@/lib/keys/derive";
import { xpubOf } from "@/lib/keys/roots";
import { solanaAddressProblem } from "./address";
import { solanaBalances } from "./balances";
import { SOLANA_ACCOUNT_PATH, solanaAddressAt } from "./keys";
import { reconcileSolana, solanaWithdrawals } from "./withdrawals";
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
  keys: {
    path: SOLANA_ACCOUNT_PATH,
    // no public root derives hardened ed25519 keys: the hot wallet's address identifies the mnemonic
    publicRoot: (mnemonic) => solanaAddressAt(mnemonic, HOT_WALLET_INDEX),
    derive: (mnemonic, index) => solanaAddressAt(mnemonic, index),
  },
  settlement: "direct",
  depositAddresses: true,
  receivers: "none",
  prompt: "transaction",
  promptUri: (req) => solanaPayUri(req),
  watcher: (chain) => solanaNetworkWatcher(new SolanaWatcher(chain)),
  // read when used, not at module load (see ../evm/index)
  sender: { reconcile: (chain) => reconcileSolana(chain), get withdrawals() { return solanaWithdrawals; } },
  balances: solanaBalances,
  // the root recorded for Solana is the hot wallet's address (see keys)
  hotWallet: async () => xpubOf("solana"),
  nativeAsset: (network) => nativeAssetCode(network),
};
