// What the Bitcoin (bcoin) and Litecoin (litecoind) devnets share: a regtest node as a child
// process with its state in a directory of its own, a funded wallet (101 blocks mined to it on the
// first start, so the first coinbase is spendable), and a block mined to that wallet on a timer.
// Both answer bitcoind's JSON-RPC; the URLs carry the devnet's fixed credentials (127.0.0.1 only).
import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { dirname } from "node:path";
import { utxoRpc, type UtxoRpc } from "../chains/bitcoin/rpc";
import { assertPortFree } from "./free-port";

export type UtxoDevnet = {
  network: "bitcoin" | "litecoin";
  /** the node's JSON-RPC (blocks, mempool, invalidateblock), credentials in the URL */
  rpcUrl: string;
  /** the funded wallet's JSON-RPC (sendtoaddress, getbalance), credentials in the URL */
  walletRpcUrl: string;
  port: number;
  /** an address of the node's wallet (what the timer mines to) */
  minerAddress: string;
  /** mines `n` blocks now, to the wallet */
  mine(n?: number): Promise<string[]>;
  stop(): Promise<void>;
};

export type UtxoNodeSpec = {
  label: string;
  /** the node's state directory */
  stateDir: string;
  /**
   * a prepared chain (funded, wallet made) copied into an empty state directory instead of mining
   * one, made from the first fresh chain when missing: test stacks start in a second
   */
  template?: string;
  /** what the node needs in its state directory before it starts */
  prepareDir?(): void;
  network: "bitcoin" | "litecoin";
  cmd: string;
  args: string[];
  env?: Record<string, string | undefined>;
  /** ports the node binds (checked free first) */
  ports: number[];
  rpcUrl: string;
  walletRpcUrl: string;
  /** once the node answers: make sure its wallet is there (create or load) */
  prepareWallet(node: UtxoRpc, wallet: UtxoRpc): Promise<void>;
  /** an address of the wallet to mine to */
  minerAddress(wallet: UtxoRpc): Promise<string>;
  /** back to the clock after setmocktime (Core: 0; bcoin: the current time, its 0 means 1970) */
  clearMockTime(node: UtxoRpc): Promise<unknown>;
  /** blocks mined on a fresh chain (default FUNDING_BLOCKS) */
  fundingBlocks?: number;
  /**
   * heights whose block needs something done first (Litecoin: MWEB's activation block needs a
   * peg-in), and what: every block the devnet mines (funding, timer, mine()) passes through it
   */
  beforeBlock?: { heights: number[]; prepare(height: number, node: UtxoRpc, wallet: UtxoRpc): Promise<void> };
  /** block period; 0 = no timer */
  blockMs: number;
  readyTimeoutMs?: number;
  log?: (m: string) => void;
};

/** blocks mined on a fresh chain: coinbase outputs mature after 100 blocks */
export const FUNDING_BLOCKS = 101;
const STOP_TIMEOUT_MS = 15_000;

const live = new Set<ChildProcess>();
let exitHook = false;
function track(child: ChildProcess): void {
  live.add(child);
  child.once("exit", () => live.delete(child));
  if (exitHook) return;
  exitHook = true;
  process.once("exit", () => { for (const c of live) c.kill("SIGKILL"); });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startUtxoNode(spec: UtxoNodeSpec): Promise<UtxoDevnet> {
  const fresh = !existsSync(spec.stateDir);
  if (fresh && spec.template && existsSync(spec.template)) {
    cpSync(spec.template, spec.stateDir, { recursive: true });
    return startNode(spec);
  }
  const d = await startNode(spec);
  if (!fresh || !spec.template || existsSync(spec.template)) return d;
  // the first fresh chain becomes the template: copied while the node is stopped, renamed into place whole
  await d.stop();
  const tmp = `${spec.template}.${process.pid}.tmp`;
  mkdirSync(dirname(spec.template), { recursive: true });
  cpSync(spec.stateDir, tmp, { recursive: true });
  try {
    renameSync(tmp, spec.template);
  } catch {
    rmSync(tmp, { recursive: true, force: true }); // another process made it first
  }
  return startNode(spec);
}

async function startNode(spec: UtxoNodeSpec): Promise<UtxoDevnet> {
  spec.prepareDir?.();
  for (const p of spec.ports) await assertPortFree(p, spec.label);
  const child = spawn(spec.cmd, spec.args, { env: { ...process.env, ...spec.env } as NodeJS.ProcessEnv, stdio: ["ignore", "ignore", "pipe"] });
  track(child);
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => { stderr = (stderr + d.toString()).slice(-8192); });
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const stop = async () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const t = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(t);
  };
  try {
    const node = utxoRpc(spec.rpcUrl, { timeoutMs: 30_000 });
    const wallet = utxoRpc(spec.walletRpcUrl, { timeoutMs: 30_000 });
    const deadline = Date.now() + (spec.readyTimeoutMs ?? 30_000);
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${spec.label} exited (${child.exitCode}): ${stderr.trim().slice(-1000)}`);
      try {
        await node.call("getblockcount");
        break;
      } catch { /* not up yet */ }
      if (Date.now() > deadline) throw new Error(`${spec.label} did not answer on ${node.display} within ${(spec.readyTimeoutMs ?? 30_000) / 1000} s`);
      await sleep(100);
    }
    await spec.prepareWallet(node, wallet);
    const minerAddress = await spec.minerAddress(wallet);
    const generate = (n: number) => node.call<string[]>("generatetoaddress", [n, minerAddress]);
    const mine = async (n = 1) => {
      if (!spec.beforeBlock) return generate(n);
      const mined: string[] = [];
      for (let left = n; left > 0;) {
        const h = await node.call<number>("getblockcount");
        const next = spec.beforeBlock.heights.filter((x) => x > h && x <= h + left).sort((a, b) => a - b)[0];
        if (next === undefined) { mined.push(...(await generate(left))); break; }
        if (next > h + 1) mined.push(...(await generate(next - 1 - h)));
        await spec.beforeBlock.prepare(next, node, wallet);
        mined.push(...(await generate(1)));
        left -= next - h;
      }
      return mined;
    };
    const height = await node.call<number>("getblockcount");
    const funding = spec.fundingBlocks ?? FUNDING_BLOCKS;
    if (height < funding) {
      // blocks mined back to back each take the median time past + 1 s, running ahead of the clock (by a
      // minute over bcoin's 440): mined on a clock set back as far, they end at or before now
      await node.call("setmocktime", [Math.floor(Date.now() / 1000) - funding]);
      await mine(funding - height);
      await spec.clearMockTime(node);
    }
    // the wallet indexes blocks on its own: wait until it can spend
    for (const until = Date.now() + 10_000; Number(await wallet.call<number>("getbalance")) <= 0;) {
      if (Date.now() > until) throw new Error(`${spec.label}: the wallet holds nothing after ${funding} blocks`);
      await sleep(100);
    }
    if (spec.blockMs > 0) {
      const tick = async () => {
        if (stopped) return;
        try {
          await mine(1);
        } catch (e) {
          if (!stopped) spec.log?.(`${spec.label}: mining failed: ${e instanceof Error ? e.message : String(e)}`);
        }
        if (!stopped) timer = setTimeout(() => void tick(), spec.blockMs);
      };
      timer = setTimeout(() => void tick(), spec.blockMs);
    }
    return { network: spec.network, rpcUrl: spec.rpcUrl, walletRpcUrl: spec.walletRpcUrl, port: spec.ports[0], minerAddress, mine, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
