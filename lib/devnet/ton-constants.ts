// Fixed parameters of the local TON devnet (@ton/sandbox behind a toncenter v2 API, ./ton-api).
// Plain literals: config reads them without loading @ton/*; ./ton computes the addresses from
// the committed contract code and a test checks they agree. Devnet only: these mnemonics are public
// test values (like anvil's), never use them anywhere else.

/** The devnet's toncenter-compatible API port under `npm start` (DEVNET_TON_PORT); the test stack picks a free one. */
export const DEVNET_TON_DEFAULT_PORT = 8081;

/**
 * Funded test wallets (wallet v4r2, workchain 0, wallet_id 698983191): TON-format 24-word
 * mnemonics (import them into Tonkeeper / @ton/crypto's mnemonicToWalletKey) and their public keys.
 */
export const DEVNET_TON_WALLETS = [
  {
    mnemonic: "afford pistol pulse harsh eagle inject humble strike medal wisdom license secret solve whip broken announce public various under oval indoor ghost team lamp",
    publicKey: "2861d8817f6350e85a4e0ecbb9ede9811dcfcf716498c5e951dc3a666a5398e8",
  },
  {
    mnemonic: "melody bulk initial define water hockey draw purse job cream can hard rib embody outer athlete toe north canoe kangaroo script upgrade wrist rival",
    publicKey: "be314882a79d41331fecc5d1fce990dc7a55c40273a759daece281912ec42e2e",
  },
  {
    mnemonic: "day believe pupil ginger drip remove song riot group turn author brass matrix enough slush renew ready edge erode entry fault robust balcony auto",
    publicKey: "8010a94b6e4338577442bd0167a1bef9f391b974e3c9d89bb0c977848882381d",
  },
] as const;

/** 1,000,000 TON and 1,000,000 USDT per test wallet */
export const DEVNET_TON_INITIAL_NANOTON = 1_000_000n * 10n ** 9n;
export const DEVNET_TON_INITIAL_JETTON = 1_000_000n * 10n ** 6n;
export const DEVNET_TON_JETTON_DECIMALS = 6;
export const DEVNET_TON_JETTON_SYMBOL = "USDT";

/** The jetton master (TEP-74 minter, admin: test wallet 0) and the DNS resolver, as computed by ./ton. */
export const DEVNET_TON_JETTON_MASTER = "kQCwYCWiN0UXVi5yMyeS4A7moFD0MsE5iCmlB62FfRMKLO8i";
export const DEVNET_TON_DNS_ROOT = "kQCaPBSQ81xnYHF_yNK_-3O9kdv1FSBn5zRQMwsnOoSPOL-B";
/** The `.ton` name the devnet's resolver answers: its wallet record is test wallet 1. */
export const DEVNET_TON_DNS_NAME = "wallet.ton";
