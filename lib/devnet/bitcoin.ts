// Local Bitcoin devnet: bcoin (a full node in JavaScript, from npm) in regtest as a child process
// (./bcoin-node.cjs), with its wallet server. Its state (chain and wallet) lives in
// `<stateDir>/bitcoin` across restarts. The wallet's JSON-RPC answers bitcoind's `sendtoaddress`
// and `getbalance`; its regtest addresses start with `rb1` (Bitcoin Core's regtest uses `bcrt1`).
import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { DEVNET_BITCOIN_DEFAULT_PORT, DEVNET_UTXO_PASSWORD, devnetUtxoUrl } from "./utxo-constants";
import { startUtxoNode, type UtxoDevnet } from "./utxo-node";

export type StartBitcoinDevnetOptions = {
  /** chain and wallet in `<stateDir>/bitcoin` */
  stateDir: string;
  /** the node's JSON-RPC port (default 18443) */
  port?: number;
  /** the wallet server's port (default: port + 1) */
  walletPort?: number;
  /** a prepared chain to start from when the state is new (./utxo-node) */
  template?: string;
  /** block period (default 1000 ms; 0 = mine only when asked) */
  blockMs?: number;
  log?: (m: string) => void;
};

export async function startBitcoinDevnet(opts: StartBitcoinDevnetOptions): Promise<UtxoDevnet> {
  const dir = join(resolve(opts.stateDir), "bitcoin");
  const port = opts.port ?? DEVNET_BITCOIN_DEFAULT_PORT;
  const walletPort = opts.walletPort ?? port + 1;
  const entry = createRequire(import.meta.url).resolve("./bcoin-node.cjs");
  const d = await startUtxoNode({
    label: "bitcoin (bcoin regtest)",
    stateDir: dir,
    template: opts.template,
    // bcoin's wallet opens `<wallet-prefix>/wallet` without creating it
    prepareDir: () => mkdirSync(join(dir, "wallet", "wallet"), { recursive: true }),
    network: "bitcoin",
    cmd: process.execPath,
    args: [
      entry, "--network=regtest", `--prefix=${dir}`, `--wallet-prefix=${join(dir, "wallet")}`, "--wallet-witness=true",
      "--http-host=127.0.0.1", `--http-port=${port}`, `--api-key=${DEVNET_UTXO_PASSWORD}`,
      "--wallet-http-host=127.0.0.1", `--wallet-http-port=${walletPort}`, `--wallet-api-key=${DEVNET_UTXO_PASSWORD}`,
      "--listen=false", "--index-tx=true", "--index-address=false",
      // take transactions signalling BIP125 replaceability (ours do; bcoin 1.0 still refuses any
      // replacement of a mempool transaction: bumps are exercised on Litecoin Core)
      "--replace-by-fee=true",
    ],
    env: { NODE_BACKEND: "js" },
    ports: [port, walletPort],
    rpcUrl: devnetUtxoUrl(port),
    walletRpcUrl: devnetUtxoUrl(walletPort),
    // the primary wallet (witness: rb1… addresses) is created with the wallet database
    prepareWallet: async () => {},
    clearMockTime: (node) => node.call("setmocktime", [Math.floor(Date.now() / 1000)]),
    // bcoin's getnewaddress answers in mainnet form; its HTTP API gives the regtest receive address
    minerAddress: async () => {
      const res = await fetch(`http://127.0.0.1:${walletPort}/wallet/primary/account/default`, {
        headers: { authorization: `Basic ${Buffer.from(`x:${DEVNET_UTXO_PASSWORD}`).toString("base64")}` },
      });
      const body = (await res.json()) as { receiveAddress?: string };
      if (!body.receiveAddress) throw new Error("bcoin's wallet has no receive address");
      return body.receiveAddress;
    },
    // bcoin's regtest activates segwit by BIP9 signalling: active from height 432 (3 × 144)
    fundingBlocks: 440,
    blockMs: opts.blockMs ?? 1000,
    log: opts.log,
  });
  opts.log?.(`bitcoin (bcoin regtest) node RPC ${d.rpcUrl}, funded wallet RPC ${d.walletRpcUrl}`);
  return d;
}
