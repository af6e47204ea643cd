// The TON family: wallet v4r2 accounts (./keys: ed25519 at m/44'/607'/i'), written user-friendly
// and non-bounceable with the test-only flag in test mode (./address). Permanent deposit
// addresses are ours: credited by the watcher's block scan (./watcher) from incoming TON with
// comments and jetton transfer notifications checked against the master (./credits). Checkouts
// (seed-004 payments and sessions) are paid to a receiver of their own from the key pool, credited
// by the same watcher and forwarded whole to the merchant (./forward; choices: ./choices). Payouts of TON and jettons with a comment go from the hot wallet, sweeps of deposit
// wallets into it (./withdrawals; seed 001's service/ton and service/jetton in ./service).
import type { ChainFamily } from "../family";
import { config } from "@/lib/config";
import { nativeAssetCode } from "@/lib/config/networks";
import { tonAddressProblem, tonFriendly, tonKey, tonTokenForm } from "./address";
import { tonChoices } from "./choices";
import { forwardTonCheckouts } from "./forward";
import { tonBalances } from "./balances";
import { TON_ACCOUNT_PATH, tonAddressAt, tonHotWalletAt } from "./keys";
import { tonHotWallet } from "./hot";
import { tonTransferUri } from "./prompt";
import { tonNetworkWatcher } from "./watcher";
import { reconcileTon, tonPayoutProblem, tonWithdrawals } from "./withdrawals";
import { resolveTonName, tonDomainProblem } from "./dns";
import { errors } from "@/lib/api/errors";

export const ton: ChainFamily = {
  id: "ton",
  displayName: "TON",
  addresses: {
    problem: (s) => tonAddressProblem(s),
    canonical: (s) => tonFriendly(s),
    stored: (s) => tonFriendly(s),
    key: (s) => tonKey(s),
    token: (s) => tonTokenForm(s),
    burn: ["0:0000000000000000000000000000000000000000000000000000000000000000", "-1:0000000000000000000000000000000000000000000000000000000000000000"],
    example: "UQCdyiS-fIV9UVfI9Phswo4l2MA-hm8YseHynZ_YiH9Y1j8U",
    hint: "Enter a valid TON address: user-friendly (48 characters, e.g. UQ…) or raw (0:<64 hex digits>).",
    placeholder: "TON address (UQ… / EQ…)",
  },
  keys: {
    path: TON_ACCOUNT_PATH,
    // no public root derives hardened ed25519 keys: the hot wallet's (raw) address identifies the mnemonic
    publicRoot: (mnemonic) => tonAddressAt(mnemonic, 0),
    derive: (mnemonic, index) => tonAddressAt(mnemonic, index),
    // key_pool holds raw addresses; a receiver is written non-bounceable, test-only in test mode
    receiverForm: (address, livemode) => tonFriendly(address, { testOnly: !livemode }),
    // the hot wallet is the highload wallet of index 0's key (./highload), not its v4r2 wallet
    hotWallet: (mnemonic) => tonHotWalletAt(mnemonic),
  },
  // payers pay a receiver of the checkout's own; the worker forwards it to the merchant (./forward)
  settlement: "forward",
  // and sends the refunds merchants ask for of what finished checkouts left there (./refunds)
  custodialCheckouts: { forward: (chain, opts) => forwardTonCheckouts(chain, opts), refunds: true },
  depositAddresses: true,
  receivers: "per-checkout",
  prompt: "receiver",
  promptUri: (req) => tonTransferUri(req),
  tokenChoices: (livemode) => tonChoices(livemode),
  watcher: (chain) => tonNetworkWatcher(chain),
  // read when used, not at module load (see ../evm/index)
  sender: {
    reconcile: (chain, { mnemonic }) => reconcileTon(chain, mnemonic),
    get withdrawals() { return tonWithdrawals; },
    payoutProblem: (req) => tonPayoutProblem(req),
  },
  balances: tonBalances,
  hotWallet: async () => {
    const raw = await tonHotWallet();
    return raw ? tonFriendly(raw, { testOnly: config().mode !== "live" }) : null;
  },
  nativeAsset: (network) => nativeAssetCode(network),
  names: {
    owns: (domain) => /\.(ton|t\.me)$/i.test(domain.trim()),
    async resolve(chain, domain) {
      const name = domain.trim().toLowerCase();
      const problem = tonDomainProblem(name);
      if (problem) throw errors.validation(problem, "domain", "invalid_domain");
      if (!chain.tonDnsRoot) {
        throw errors.validation(`TON DNS is not available in ${chain.livemode ? "live" : "test"} mode: no root resolver is configured (TON${chain.livemode ? "" : "_TEST"}_DNS_ROOT).`, "domain", "resolution_unavailable");
      }
      return resolveTonName(chain, chain.tonDnsRoot, name);
    },
  },
};
