// The Bitcoin family (UTXO chains: Bitcoin and Litecoin, one folder for both networks). Receivers
// are BIP84 native segwit addresses derived from the instance's account xpubs (./keys: the web
// process derives them from public keys alone), with each chain's bech32 prefix (./address). The
// watcher reads blocks and the node's mempool (./watcher): a payment is detected unconfirmed,
// confirmed at the chain's depth, reverted by a reorg or when a replacement (RBF) or double spend
// drops it. Balances are the node's unspent outputs of our deposits and change (./balances).
// Spending (./spend): the pass's payouts and sweeps batched into one transaction, fees from the
// node's estimator, RBF bumps of stuck transactions. Seed-004 payments, and sessions paid in BTC/LTC at
// a quoted price: a receiver per checkout, forwarded to the merchant in one transaction per pass
// (./forward, ./choices).
import type { ChainFamily } from "../family";
import { config } from "@/lib/config";
import { nativeAssetCode } from "@/lib/config/networks";
import { HOT_WALLET_INDEX } from "@/lib/keys/derive";
import { xpubOf } from "@/lib/keys/roots";
import { bitcoinAddressProblem } from "./address";
import { BIP84_ACCOUNT_PATH, bitcoinAddressAt, bitcoinPublicRoot } from "./keys";
import { utxoBalances } from "./balances";
import { bip21Uri } from "./prompt";
import { bitcoinChoices } from "./choices";
import { forwardUtxoCheckouts } from "./forward";
import { reconcileUtxo, utxoPayoutProblem, utxoWithdrawals } from "./spend";
import { UtxoWatcher, utxoNetworkWatcher } from "./watcher";

export const bitcoin: ChainFamily = {
  id: "bitcoin",
  displayName: "Bitcoin",
  addresses: {
    problem: (s, network) => bitcoinAddressProblem(s, network),
    // bech32 is case-insensitive; lower case is the stored and shown form
    canonical: (s) => s.toLowerCase(),
    stored: (s) => s.toLowerCase(),
    key: (s) => s.toLowerCase(),
    burn: [],
    example: "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
    hint: "Enter a valid native segwit address: bech32, starting with bc1 (Bitcoin) or ltc1 (Litecoin); tb1, tltc1 and the regtest prefixes on test networks.",
    placeholder: "bc1…",
  },
  keys: {
    path: BIP84_ACCOUNT_PATH,
    publicRoot: (mnemonic) => bitcoinPublicRoot(mnemonic),
    // the address depends on the chain (account and prefix): without one, Bitcoin mainnet's
    addressAt: (root, index, network) => bitcoinAddressAt(root, index, network ?? "bitcoin"),
  },
  settlement: "forward",
  depositAddresses: true,
  // a receiver per checkout: a seed-004 payment's, or a session's paid in BTC/LTC at a quote (quotedSessions)
  receivers: "per-checkout",
  // sessions priced in a USD stablecoin are payable in BTC/LTC: the amount quoted from the rate provider
  quotedSessions: true,
  prompt: "receiver",
  promptUri: (req) => bip21Uri(req),
  watcher: (chain) => utxoNetworkWatcher(new UtxoWatcher(chain)),
  // payouts and sweeps batched into one transaction per pass, RBF bumps (./spend)
  sender: {
    reconcile: (chain, opts) => reconcileUtxo(chain, opts),
    // read when used: ./spend imports the withdrawal queue, which reaches back to the registry
    get withdrawals() { return utxoWithdrawals; },
    payoutProblem: (req) => utxoPayoutProblem(req),
  },
  balances: utxoBalances,
  // seed-004 payments in BTC/LTC: a receiver per payment, forwarded to the merchant in one transaction per pass (./forward)
  custodialCheckouts: { forward: (chain, opts) => forwardUtxoCheckouts(chain, opts) },
  // a payment's one way to pay: the chain's coin, to its receiver, by hand or the BIP21 QR
  tokenChoices: (livemode) => bitcoinChoices(livemode),
  // index 0 of the chain's account (without a chain: Bitcoin's of the instance's mode)
  hotWallet: async (chainKey) => {
    const root = await xpubOf("bitcoin");
    return root ? bitcoinAddressAt(root, HOT_WALLET_INDEX, chainKey ?? (config().mode === "live" ? "bitcoin" : "bitcoin:test")) : null;
  },
  nativeAsset: (network) => nativeAssetCode(network),
};
