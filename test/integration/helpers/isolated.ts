// An isolated world for tests that must control the chain or kill the worker: a database of its
// own on the stack's PostgreSQL server, a devnet of its own (two anvil chains on free ports,
// mined on demand; with `tron`, a Tron devnet of its own too), and worker processes started with
// the stack's environment pointed at them.
// The test process's lib/db is switched to that database.
import pg from "pg";
import { inject } from "vitest";
import { closeDb } from "@/lib/db/client";
import { freePorts, startEvmDevnet, type EvmDevnet } from "@/lib/devnet/evm";
import { startTronDevnet, type TronDevnet } from "@/lib/devnet/tron";
import { rpcCall, waitFor } from "./watcher";
import { spawnWorker, type WorkerProc } from "./worker-process";
import { useOwnDatabase } from "./own-database";

export type { WorkerProc };

type ChainName = "ethereum" | "polygon" | "tron";

export type Isolated = {
  databaseUrl: string;
  devnet: EvmDevnet;
  /** `tron` only with opts.tron (otherwise the workers watch the stack's Tron devnet) */
  rpc: { ethereum: string; polygon: string; tron?: string };
  /** `env`: more environment for this worker (e.g. `ETHEREUM_TEST_RPC_URL` of a fault proxy, test/helpers/fault-proxy.ts) */
  startWorker: (name?: string, env?: Record<string, string>) => WorkerProc;
  /** mines `n` blocks on a chain (default ethereum) */
  mine: (n?: number, chain?: ChainName) => Promise<void>;
  headNumber: (chain?: ChainName) => Promise<number>;
  /** waits until the watcher's checkpoint (network_status) is at the chain's head */
  synced: (chain?: ChainName, timeoutMs?: number) => Promise<void>;
  stop: () => Promise<void>;
};

export async function startIsolated(opts: { confirmations: number; name: string; tron?: boolean }): Promise<Isolated> {
  const env = inject("testEnv");
  const { dbName, databaseUrl } = await useOwnDatabase(`watcher_${opts.name}`);

  const ports = await freePorts(3);
  const tronEnv: Record<string, string> = opts.tron ? { DEVNET_TRON_PORT: String(ports[2]), TRON_TEST_CONFIRMATIONS: String(opts.confirmations) } : {};
  // this test process's lib/config (first read after this) points at the same chains as its workers
  // the stack's other EVM chains (BSC, Bahamut) are not this isolated instance's
  const others = { BSC_TEST_ENABLED: "0", BAHAMUT_TEST_ENABLED: "0" };
  Object.assign(process.env, {
    ...others, DEVNET_ETHEREUM_PORT: String(ports[0]), DEVNET_POLYGON_PORT: String(ports[1]),
    ETHEREUM_TEST_CONFIRMATIONS: String(opts.confirmations), POLYGON_TEST_CONFIRMATIONS: String(opts.confirmations), ...tronEnv,
  });
  // no interval mining to speak of: the tests mine each block themselves
  const devnet = await startEvmDevnet({ networks: ["ethereum", "polygon"], ports: ports.slice(0, 2), blockTimeSeconds: 100_000 });
  let tronDevnet: TronDevnet | undefined;
  if (opts.tron) tronDevnet = await startTronDevnet({ port: ports[2], blockTimeSeconds: 100_000 }).catch(async (e) => { await devnet.stop(); throw e; });
  const rpc: Isolated["rpc"] = { ethereum: devnet.chains[0].rpcUrl, polygon: devnet.chains[1].rpcUrl, ...(tronDevnet ? { tron: tronDevnet.rpcUrl } : {}) };
  for (const url of Object.values(rpc)) await rpcCall(url, "evm_setIntervalMining", [0]);

  const childEnv = JSON.parse(env.childEnvJson) as Record<string, string>;
  const workers: WorkerProc[] = [];
  const startWorker = (name = "worker", extra: Record<string, string> = {}) => {
    const w = spawnWorker({
      ...childEnv, ...others, DATABASE_URL: databaseUrl,
      DEVNET_ETHEREUM_PORT: String(ports[0]), DEVNET_POLYGON_PORT: String(ports[1]),
      ETHEREUM_TEST_CONFIRMATIONS: String(opts.confirmations), POLYGON_TEST_CONFIRMATIONS: String(opts.confirmations),
      ...tronEnv, LOG_LEVEL: "info", ...extra,
    }, { dir: env.logDir, name: `${dbName}-${name}` });
    workers.push(w);
    return w;
  };

  const url = (chain: ChainName = "ethereum") => {
    const u = rpc[chain];
    if (!u) throw new Error(`no isolated ${chain} devnet: start it with { tron: true }`);
    return u;
  };
  const headNumber = async (chain: ChainName = "ethereum") => Number.parseInt(await rpcCall<string>(url(chain), "eth_blockNumber"), 16);
  return {
    databaseUrl, devnet, rpc, startWorker, headNumber,
    mine: async (n = 1, chain = "ethereum") => { await rpcCall(url(chain), "anvil_mine", [`0x${n.toString(16)}`]); },
    synced: async (chain = "ethereum", timeoutMs = 30_000) => {
      const head = await rpcCall<{ hash: string }>(url(chain), "eth_getBlockByNumber", ["latest", false]);
      const c = new pg.Client({ connectionString: databaseUrl });
      await c.connect();
      try {
        await waitFor(`the ${chain} watcher to reach ${head.hash}`, async () => {
          const { rows } = await c.query("select head_hash from network_status where network = $1 and livemode = false", [chain]);
          return rows[0]?.head_hash === head.hash;
        }, timeoutMs, 50);
      } finally {
        await c.end();
      }
    },
    stop: async () => {
      await Promise.all(workers.map((w) => w.kill("SIGKILL")));
      await devnet.stop();
      await tronDevnet?.stop();
      // the database stays (the stack is throwaway): the ledger-invariants check that runs after
      // every file (test/setup/ledger-invariants.ts) reads it after this
      await closeDb();
    },
  };
}
