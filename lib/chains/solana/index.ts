// The Solana family: base58 32-byte accounts. Session payers pay the merchant's own wallet
// directly (settlement "direct": nothing to forward), each payment request carrying a fresh
// reference key the watcher finds it by (Solana Pay). A seed-004 payment, paid with a plain
// transfer, gets a receiver of its own from the key pool instead, forwarded to the merchant
// (./forward). Permanent deposit addresses are ours:
// derived at m/44'/501'/i'/0' (./keys, handed out through key_pool), credited by the watcher's
// block scan (./deposit-scanner), swept and paid out with the hot wallet (index 0) as fee payer
// (./withdrawals).
import type { ChainFamily } from "../family";
import { nativeAssetCode } from "@/lib/config/networks";
import { HOT_WALLET_INDEX } from "@/lib/keys/derive";
import { xpubOf } from "@/lib/keys/roots";
import { solanaAddressProblem } from "./address";
import { solanaChoices } from "./choices";
import { forwardCustodialCheckouts } from "./forward";
import { solanaBalances } from "./balances";
import { SOLANA_ACCOUNT_PATH, solanaAddressAt } from "./keys";
import { reconcileSolana } from "./sender";
import { solanaWithdrawals } from "./withdrawals";
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
    hint: "Enter a valid Solana address: base58 of 32 bytes.",
    placeholder: "Solana wallet (base58)",
  },
  keys: {
    path: SOLANA_ACCOUNT_PATH,
    // no public root derives hardened ed25519 keys: the hot wallet's address identifies the mnemonic
    publicRoot: (mnemonic) => solanaAddressAt(mnemonic, HOT_WALLET_INDEX),
    derive: (mnemonic, index) => solanaAddressAt(mnemonic, index),
  },
  settlement: "direct",
  // seed-004 payments: a receiver of the payment's own from the key pool, forwarded to the merchant
  custodialCheckouts: { forward: (chain, opts) => forwardCustodialCheckouts(chain, opts) },
  depositAddresses: true,
  receivers: "none",
  prompt: "transaction",
  promptUri: (req) => solanaPayUri(req),
  // a seed-004 payment's one way to pay (sessions pay the merchant on the Solana Pay step)
  tokenChoices: (livemode) => solanaChoices(livemode),
  watcher: (chain) => solanaNetworkWatcher(new SolanaWatcher(chain)),
  // read when used, not at module load (see ../evm/index)
  sender: { reconcile: (chain) => reconcileSolana(chain), get withdrawals() { return solanaWithdrawals; } },
  balances: solanaBalances,
  // the root recorded for Solana is the hot wallet's address (see keys)
  hotWallet: async () => xpubOf("solana"),
  nativeAsset: (network) => nativeAssetCode(network),
};
