// Local Litecoin devnet: Debian's litecoind (Litecoin Core 0.21) in -regtest as a child process,
// state in `<stateDir>/litecoin` across restarts, with a wallet ("devnet") mined to on a timer.
// Not an npm package: `apt-get install -y litecoind` (the test command installs it when missing);
// without it `npm start` runs without Litecoin and says so.
import { existsSync, mkdirSync } from "node:fs";
import { delimiter, join, resolve } from "node:path";
import { DEVNET_LITECOIN_DEFAULT_PORT, DEVNET_LITECOIN_WALLET, DEVNET_UTXO_PASSWORD, DEVNET_UTXO_USER, devnetUtxoUrl } from "./utxo-constants";
import { utxoRpc, type UtxoRpc } from "../chains/bitcoin/rpc";
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

/**
 * MWEB (MimbleWimble extension blocks, Litecoin Core 0.21.2) activates on regtest by BIP9 at this
 * height (3 × 144 blocks). From its first block on, every block carries an integrating
 * transaction (HogEx) that spends the previous one's output, and the first has no previous one:
 * it needs a peg-in in the mempool, else the node cannot build the block (`generatetoaddress`
 * fails with `bad-txns-vin-empty` forever). Litecoin's own functional tests peg in before
 * mining that block; so does the devnet (mainnet has run MWEB since 2022: the devnet is like it).
 */
export const MWEB_ACTIVATION_HEIGHT = 432;
/** the wallet that pegs coins into MWEB, so the devnet wallet keeps no MWEB coins of its own */
const MWEB_WALLET = "devnet-mweb";

async function openWallet(node: UtxoRpc, name: string): Promise<void> {
  if ((await node.call<string[]>("listwallets")).includes(name)) return;
  try {
    await node.call("loadwallet", [name]);
  } catch {
    await node.call("createwallet", [name]);
  }
}

/**
 * Before block 431: a coin for the MWEB wallet, mined in it. Before block 432 (MWEB's first): the
 * MWEB wallet pegs it in to an MWEB address of its own (its change stays in MWEB, in that wallet);
 * a chain that reached 431 without that coin (made by an older devnet) pegs in from the devnet
 * wallet instead.
 */
async function prepareMweb(height: number, node: UtxoRpc, wallet: UtxoRpc, port: number): Promise<void> {
  await openWallet(node, MWEB_WALLET);
  const mweb = utxoRpc(devnetUtxoUrl(port, `wallet/${MWEB_WALLET}`), { timeoutMs: 30_000 });
  if (height === MWEB_ACTIVATION_HEIGHT - 1) {
    await wallet.call("sendtoaddress", [await mweb.call<string>("getnewaddress", ["", "bech32"]), 1]);
    return;
  }
  const to = await mweb.call<string>("getnewaddress", ["", "mweb"]);
  try {
    await mweb.call("sendtoaddress", [to, 0.5]);
  } catch {
    await wallet.call("sendtoaddress", [to, 0.001]);
  }
}

export const LITECOIND_MISSING = "litecoind is not installed: Litecoin stays off on the devnet (Debian/Ubuntu: `apt-get install -y litecoind`)";

export type StartLitecoinDevnetOptions = {
  stateDir: string;
  port?: number;
  /** a prepared chain to start from when the state is new (./utxo-node) */
  template?: string;
  /** blocks mined on a fresh chain (default: past MWEB's activation) */
  fundingBlocks?: number;
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
    prepareWallet: (node) => openWallet(node, DEVNET_LITECOIN_WALLET),
    clearMockTime: (node) => node.call("setmocktime", [0]),
    minerAddress: (wallet) => wallet.call<string>("getnewaddress", ["", "bech32"]),
    // a fresh chain starts past MWEB's activation, so nothing mining on it later (tests' generatetoaddress) meets its first block
    fundingBlocks: opts.fundingBlocks ?? MWEB_ACTIVATION_HEIGHT + 8,
    beforeBlock: { heights: [MWEB_ACTIVATION_HEIGHT - 1, MWEB_ACTIVATION_HEIGHT], prepare: (h, node, wallet) => prepareMweb(h, node, wallet, port) },
    blockMs: opts.blockMs ?? 1000,
    log: opts.log,
  });
  opts.log?.(`litecoin (litecoind regtest) node RPC ${d.rpcUrl}, funded wallet RPC ${d.walletRpcUrl}`);
  return d;
}
