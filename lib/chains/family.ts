// The one interface every chain family implements (DOMAIN.md "Chain families and the worker"):
// EVM, Tron, Solana and TON (an account chain with comments and jettons) today; Bitcoin /
// Litecoin (UTXO: mempool, RBF, batched spends) are meant to fit without a special case outside
// their own folder. Code outside lib/chains asks the registry (./registry) for a family and never
// compares family names; a family's own folder holds everything that knows what it is.
import type { ChainConfig } from "@/lib/config";
import type { Credit } from "@/lib/deposits/credit";
import type { Rail } from "./evm/rail";
import type { EnergyPlan, EnergyStep } from "./tron/energy";
import type { NetworkFamily } from "@/lib/config/networks";
import type { NetworkWatcher } from "@/lib/worker/network-runner";
import type { TokenChoice } from "@/components/checkout/types";
import type { WithdrawalEngine } from "@/lib/withdrawals/engines/types";

/** The families this build implements: one registry line each (./registry). */
export type FamilyId = Extract<NetworkFamily, "evm" | "tron" | "solana" | "ton" | "bitcoin">;

/** How a family writes its accounts: what a person types, what is stored, what compares equal. */
export type FamilyAddresses = {
  /**
   * Why `s` is not an address of this family, or null when it is one. `network` is for families
   * whose form depends on it (Bitcoin's bc1/tb1/bcrt1 prefixes, TON's test-only flag).
   */
  problem(s: string, network?: string): string | null;
  /** The stored and shown form of a valid address (EVM: EIP-55; Tron, Solana: as given). */
  canonical(s: string): string;
  /**
   * The stored form of one of this family's accounts given in any form its nodes use (Tron's
   * JSON-RPC answers 0x hex for a base58check account).
   */
  stored(s: string): string;
  /** A key under which every form of one account compares equal (EVM: lower-case hex). */
  key(s: string): string;
  /**
   * The stored form of a token contract, mint or jetton master as configured (what deposits and
   * checkouts record as their tokenAddress). Absent: `canonical` (TON: a jetton master is a
   * contract, written bounceable, where `canonical` writes a wallet non-bounceable).
   */
  token?(s: string): string;
  /** Addresses nobody can spend from (zero, burn, incinerator). */
  burn: readonly string[];
  /** For forms and API docs. */
  example: string;
  /** What a person is told when an address they typed is not one of this family's (Settings). */
  hint: string;
  placeholder: string;
};

/**
 * HD keys (DOMAIN.md "Keys"): the public root the web process derives receivers from, recorded in
 * key_roots by whoever holds the mnemonic. Families whose receivers need hardened derivation
 * (Solana's SLIP-10 ed25519 at m/44'/501'/i'/0', TON's at m/44'/607'/i') leave `addressAt` out and
 * bring `derive`: the processes holding the mnemonic derive addresses ahead into key_pool
 * (lib/keys/pool), which the web process allocates from.
 */
export type FamilyKeys = {
  /** the account-level derivation path recorded beside the root */
  path: string;
  /**
   * the public root from the mnemonic (worker and launcher only); a family without one records
   * what identifies the mnemonic (Solana: the hot wallet's address, index 0)
   */
  publicRoot(mnemonic: string): string;
  /**
   * the receiving address at index `i` from the public root alone (index 0 is the hot wallet);
   * `network`: the chain key ("bitcoin", "litecoin:test") for families whose addresses differ per chain
   */
  addressAt?(root: string, index: number | bigint, network?: string): string;
  /** the receiving address at index `i` from the mnemonic (hardened families; worker and launcher only) */
  derive?(mnemonic: string, index: number | bigint): string;
  /**
   * The form a derived address (from `addressAt`, `derive` or key_pool) is stored and shown in for
   * a mode (TON: user-friendly non-bounceable, test-only flag in test mode). Absent: as derived.
   */
  receiverForm?(address: string, livemode: boolean): string;
  /**
   * The hot wallet's address when it is not an address of the root (TON: a highload wallet of the
   * key at index 0), recorded by whoever holds the mnemonic in key_roots as `<family>:hot` for the
   * processes that do not (lib/keys/roots). Absent: the hot wallet is index 0.
   */
  hotWallet?(mnemonic: string): string;
  /**
   * A later checkout of the same merchant may take over an earlier checkout's address (a merchant
   * that reuses addresses: lib/receivers/reuse). EVM: an address that delegated to the sweeper
   * (EIP-7702) sweeps again without a new authorization. Absent: every checkout gets a fresh one.
   */
  reusable?: boolean;
};

/**
 * What a checkout shows for one network of the family: an address to pay to (with the URI its
 * QR carries: EIP-681, Tron's bare address, `ton://transfer/…?text=` with the comment, BIP21), or
 * a transaction built for the payer's wallet to sign (Solana Pay).
 */
export type PaymentPrompt =
  | { kind: "receiver"; receiver: string; uri: string; memo?: string }
  | { kind: "transaction"; recipient: string; uri: string; reference: string; serializedTx?: string };

/** What a prompt's URI encodes: `units` of an asset (`token` null = the native coin) to `receiver`. */
export type PromptRequest = {
  receiver: string;
  /** token contract, mint or jetton master; null for the native coin */
  token: string | null;
  decimals: number;
  units: bigint;
  /** EVM chain id the wallet must be on, when the family has one */
  chainId?: number | null;
  /** a per-payment tag the payer's wallet must carry (TON comment, Solana Pay reference) */
  memo?: string;
  label?: string;
};


/**
 * The transactions a family sends (forwards, gas top-ups, payouts). Signed bytes are recorded
 * before broadcast; reconcile finds what became of each (mined, dropped, stuck → replaced).
 */
export type FamilySender = {
  reconcile(chain: ChainConfig, opts: { mnemonic: string }): Promise<unknown>;
  /**
   * A family's own withdrawal engine (payouts and sweeps), for families whose transactions do not
   * fit the one-transfer account rail (Solana: the hot wallet pays every fee, token accounts are
   * created and closed in the same transaction; Bitcoin/Litecoin: every queued payout and sweep of a
   * pass in one transaction, RBF). Absent: the hot-wallet engine over `rail`.
   */
  withdrawals?: WithdrawalEngine;
  /**
   * Account chains that pay one transfer per transaction (EVM, Tron): quote, sign-and-record and
   * broadcast one transfer from an account at an index; the hot-wallet withdrawal engine drives it.
   * Families whose transactions do not fit it (UTXO batches, TON's wallets, Solana) bring
   * `withdrawals` instead.
   */
  rail?: Rail;
  /**
   * Resources the hot wallet lends a receiver for its token transfer instead of funding the native
   * coin the transfer would burn (Tron Stake 2.0: the energy of staked TRX, delegated before the
   * transfer and reclaimed after by `reconcile`). Asked by lib/forwarding/gas before any funding.
   * Absent: receivers are funded with the native coin.
   */
  receiverEnergy?(chain: ChainConfig, step: EnergyStep): Promise<EnergyPlan>;
  /**
   * Why the family cannot send this payout at all (e.g. a comment that does not fit its message),
   * checked by POST /v1/withdrawal/send before anything is queued: a 400 on `field`. Absent: no checks beyond the address.
   */
  payoutProblem?(req: { native: boolean; amount: bigint; comment?: string; binaryComment?: string }): { field: string; message: string } | null;
};

/** An account's state as seed 001 reports it (TON's account states; `non_exist`: never touched). */
export type AccountStatus = "active" | "uninit" | "frozen" | "non_exist";

/** Reads of what an account holds, pinned to one height so a solvency check is consistent. */
export type FamilyBalances = {
  /** balance of `owner` in base units; `token` null = the native coin; at height `at` (default: latest) */
  balanceOf(chain: ChainConfig, token: string | null, owner: string, at?: bigint): Promise<bigint>;
  /**
   * The balances of many owners at height `at`, in `owners`' order, in a few requests (a solvency
   * check reads hundreds of deposit addresses at one height, before the node prunes it). Absent:
   * `balanceOf` per owner.
   */
  balancesOf?(chain: ChainConfig, token: string | null, owners: readonly string[], at: bigint): Promise<bigint[]>;
  /** the height reads can be pinned to */
  head(chain: ChainConfig): Promise<bigint>;
  /** seed 001's account `status` (TON: active, uninit, frozen, non_exist); absent: the family has none */
  accountStatus?(chain: ChainConfig, owner: string): Promise<AccountStatus>;
};

export type ChainFamily = {
  id: FamilyId;
  displayName: string;
  addresses: FamilyAddresses;
  /** absent: the family derives no receivers of ours */
  keys?: FamilyKeys;
  /**
   * Permanent deposit addresses of ours (custody: a hot wallet, sweeps, withdrawals, balances),
   * independent of how the family's checkouts settle: Solana's checkouts pay the merchant directly
   * and its deposit addresses are still ours. Needs `keys`, `balances` and a withdrawal engine
   * (`sender.rail` or `sender.withdrawals`).
   */
  depositAddresses: boolean;
  /**
   * `forward`: payers pay a receiver of ours and the worker forwards to the merchant (custody, a
   * hot wallet, gas). `direct`: payers pay the merchant's wallet; the worker only watches.
   */
  settlement: "forward" | "direct";
  /** the receivers of a checkout: one per checkout (EVM, Tron, TON, Bitcoin) or none (a reference per request: Solana) */
  receivers: "per-checkout" | "none";
  /**
   * Checkouts paid to a receiver of ours on a family whose sessions settle directly. A seed-004
   * payment needs a deposit address of its own (its payer sends a plain transfer, with no
   * reference), so its receiver comes from the key pool and this forwards what the receiver holds
   * to the merchant once the payment is ready (Solana: the hot wallet pays every fee). Forward
   * families have this through lib/forwarding and their account rail.
   */
  custodialCheckouts?: {
    forward(chain: ChainConfig, opts: { mnemonic: string; broadcast?: boolean }): Promise<void>;
    /**
     * true: the family's engine also sends the refunds merchants ask for (POST …/refund) of what its
     * receivers hold, in its forward pass (TON). Absent: nothing of its receivers is offered for refund.
     */
    refunds?: boolean;
  };
  /**
   * Sessions payable in the native coin of the family's networks at a quoted price (Bitcoin,
   * Litecoin): the payer names the network (`paymentMethods` `{type: <family>, network}`), the
   * server quotes the session's USD-stablecoin amount in that coin from the rate provider, stores
   * the quote on the checkout (checkouts.quote_*) and allocates a receiver of the session's own on
   * that network, forwarded to the merchant's settlement address there (`custodialCheckouts`).
   * Absent: sessions are paid only in what counts 1:1 (stablecoins, or the destination's own coin).
   */
  quotedSessions?: boolean;
  /** the URI a checkout's QR carries for a payment request (a pure function: the browser uses it too) */
  promptUri(req: PromptRequest): string;
  prompt: PaymentPrompt["kind"];
  /**
   * What the checkout page offers a payer to send to a receiver of ours on this family's enabled
   * networks of a mode: the picker's (families with a receiver per checkout), or a custodial
   * payment's one way to pay (Solana; its sessions have their own step)
   */
  tokenChoices?(livemode: boolean): TokenChoice[];
  /** the family's watcher for `chain` (credits, confirmations, reorgs); the worker's network runner drives it (lib/worker/network-runner) */
  watcher(chain: ChainConfig): NetworkWatcher;
  /**
   * PUT /v1/sessions/{id}/check: the credits one transaction made to `receivers` (in
   * addresses.key form) on `chain`, or null when the chain does not know it. Absent: the family's
   * watcher is the only way a payment is seen.
   */
  checkTransaction?(chain: ChainConfig, txHash: string, receivers: ReadonlySet<string>, ignoredSenders: ReadonlySet<string>): Promise<Credit[] | null>;
  sender?: FamilySender;
  balances?: FamilyBalances;
  /**
   * the instance's hot wallet on this family (index 0 of the public root), or null without custody
   * or before a root exists; `chainKey` ("litecoin:test") for families whose addresses differ per
   * chain (Bitcoin, Litecoin), else the family's default chain of the instance's mode
   */
  hotWallet(chainKey?: string): Promise<string | null>;
  /** the currency code of a network's native coin (what its fees are paid in) */
  nativeAsset(network: string): string | null;
  /**
   * A name service on the family's chain (GET /v1/resolve): TON DNS for `.ton` names. ENS (EVM)
   * predates this and is resolved by lib/ens.
   */
  names?: {
    /** whether `domain` is one of this service's names */
    owns(domain: string): boolean;
    /** the address the name points at on `chain`, or null; throws an ApiError when resolution is not available */
    resolve(chain: ChainConfig, domain: string): Promise<string | null>;
  };
};
