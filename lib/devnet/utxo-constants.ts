// Fixed facts of the Bitcoin and Litecoin devnets (regtest nodes on 127.0.0.1), read by the
// configuration (lib/config) to point bitcoin:test / litecoin:test at them.

/** the devnets' JSON-RPC credentials: regtest nodes bound to 127.0.0.1, nothing of value behind them */
export const DEVNET_UTXO_USER = "tollgate";
export const DEVNET_UTXO_PASSWORD = "devnet";

/** default JSON-RPC ports: bcoin's node (its wallet server on the next port), litecoind's */
export const DEVNET_BITCOIN_DEFAULT_PORT = 18443;
export const DEVNET_LITECOIN_DEFAULT_PORT = 19443;

/** the bech32 prefixes of the devnets' regtest addresses (bcoin's regtest is `rb`, Bitcoin Core's `bcrt`) */
export const DEVNET_BECH32_HRP = { bitcoin: "rb", litecoin: "rltc" } as const;

/** the litecoind wallet the devnet funds */
export const DEVNET_LITECOIN_WALLET = "devnet";

export function devnetUtxoUrl(port: number, path = ""): string {
  return `http://${DEVNET_UTXO_USER}:${DEVNET_UTXO_PASSWORD}@127.0.0.1:${port}/${path}`;
}
