// Local Litecoin devnet: Debian's litecoind (Litecoin Core 0.21) in -regtest as a child process,
// state in `<stateDir>/litecoin` across restarts, with a wallet ("devnet") mined to on a timer.
// Not an npm package: `apt-get install -y litecoind` (the test command installs it when missing);
// without it `npm start` runs without Litecoin and says so.
import { existsSync, mkdirSync } from "node:fs";
import { delimiter, join, resolve } from "node:path";
import { DEVNET_LITECOIN_DEFAULT_PORT, DEVNET_LITECOIN_WALLET, DEVNET_UTXO_PASSWORD, DEVNET_UTXO_USER, devnetUtxoUrl } from "./utxo-constants";
import { startUtxoNode, type UtxoDevnet } from "./utxo-node";

/** the litecoind binary (LITECOIND_BIN, else on PATH), or null when it is not installed */
export function litecoindBinary(): string | null {
  if (process.env.LITECOIND_BIN) return existsSync(process.env.LITECOIND_BIN) ? process.env.LITECOIND_BIN : null;
  for (const dir of (process.env.PATH ?? "/usr/bin").split(delimiter)) {
    const p = join(dir, "litecoind");
    if (dir && existsSync(p)) return p;
  }
  return null;
}

export const LITECOIND_MISSING = "litecoind is not installed: Litecoin stays off on the devnet (Debian/Ubuntu: `apt-get install -y litecoind`)";

export type StartLitecoinDevnetOptions = {
  stateDir: string;
  port?: number;
  /** a prepared chain to start from when the state is new (./utxo-node) */
  template?: string;
  blockMs?: number;
  log?: (m: string) => void;
};

export async function startLitecoinDevnet(opts: StartLitecoinDevnetOptions): Promise<UtxoDevnet> {
  const bin = litecoindBinary();
  if (!bin) throw new Error(LITECOIND_MISSING);
  const dir = join(resolve(opts.stateDir), "litecoin");
  const port = opts.port ?? DEVNET_LITECOIN_DEFAULT_PORT;
  const d = await startUtxoNode({
    label: "litecoin (litecoind regtest)",
    stateDir: dir,
    template: opts.template,
    prepareDir: () => mkdirSync(dir, { recursive: true }),
    network: "litecoin",
    cmd: bin,
    args: [
      "-regtest", `-datadir=${dir}`, "-server=1", "-listen=0", "-printtoconsole=0", "-daemon=0",
      "-rpcbind=127.0.0.1", "-rpcallowip=127.0.0.1", `-rpcport=${port}`, `-rpcuser=${DEVNET_UTXO_USER}`, `-rpcpassword=${DEVNET_UTXO_PASSWORD}`,
      // wallets pay with BIP125 replaceable transactions (RBF) and the mempool takes replacements (Litecoin
      // Core's default is not to: -mempoolreplacement=0), a fee even without estimates
      "-walletrbf=1", "-mempoolreplacement=1", "-fallbackfee=0.0002", "-txindex=1",
    ],
    ports: [port],
    rpcUrl: devnetUtxoUrl(port),
    walletRpcUrl: devnetUtxoUrl(port, `wallet/${DEVNET_LITECOIN_WALLET}`),
    prepareWallet: async (node) => {
      const loaded = await node.call<string[]>("listwallets");
      if (loaded.includes(DEVNET_LITECOIN_WALLET)) return;
      try {
        await node.call("loadwallet", [DEVNET_LITECOIN_WALLET]);
      } catch {
        await node.call("createwallet", [DEVNET_LITECOIN_WALLET]);
      }
    },
    clearMockTime: (node) => node.call("setmocktime", [0]),
    minerAddress: (wallet) => wallet.call<string>("getnewaddress", ["", "bech32"]),
    blockMs: opts.blockMs ?? 1000,
    log: opts.log,
  });
  opts.log?.(`litecoin (litecoind regtest) node RPC ${d.rpcUrl}, funded wallet RPC ${d.walletRpcUrl}`);
  return d;
}
