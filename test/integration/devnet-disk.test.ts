// The devnet's disk use stays bounded however long it runs (issue 14): anvil used to persist a
// state snapshot per block (~200 KB) into ~/.foundry/anvil/tmp, never removed, and its state file
// held every block ever mined. Here HOME and TMPDIR point into one scratch directory, so every
// byte anvil writes (its cache, our state file) is counted.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAnvil, type AnvilProcess } from "@/lib/devnet/anvil-process";
import { freePort } from "@/lib/devnet/free-port";

const CHAIN_ID = 31337;
const BLOCKS = 3_000;
// the deepest reorg the reorg tests make (watcher-reorg: CONFIRMATIONS + 3)
const REORG_DEPTH = 8;
// the state file: the newest blocks (~1.7 KB each) and the accounts, whose one growing entry is the
// EIP-2935 block-hash history contract (a ring buffer of 8,191 slots, ~1 MB when full)
const MAX_STATE_FILE = 4 * 1024 * 1024;
const MAX_DISK = 5 * 1024 * 1024;
// anvil's first standard account pays its second
const TRANSFER = { from: "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", to: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", value: "0x1" };

let root: string;
const saved = { HOME: process.env.HOME, TMPDIR: process.env.TMPDIR };

function diskUse(dir: string): number {
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    total += e.isDirectory() ? diskUse(p) : statSync(p).size;
  }
  return total;
}

async function rpc<T>(url: string, method: string, params: unknown[] = []): Promise<T> {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) });
  const body = (await res.json()) as { result?: T; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result as T;
}

async function mine(url: string, blocks: number): Promise<void> {
  // a transfer now and then, so blocks carry transactions and the state changes
  for (let i = 0; i < blocks; i += 100) {
    await rpc(url, "eth_sendTransaction", [{ from: "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", to: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", value: "0x1" }]);
    await rpc(url, "anvil_mine", [`0x${Math.min(100, blocks - i).toString(16)}`]);
  }
}

const head = async (url: string) => Number.parseInt(await rpc<string>(url, "eth_blockNumber"), 16);
const blockHash = async (url: string, n: number) => (await rpc<{ hash: string }>(url, "eth_getBlockByNumber", [`0x${n.toString(16)}`, false])).hash;

describe("devnet disk use", () => {
  let stateFile: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), "tollgate-devnet-disk-"));
    for (const d of ["home", "tmp", "state"]) mkdirSync(join(root, d));
    process.env.HOME = join(root, "home");
    process.env.TMPDIR = join(root, "tmp");
    stateFile = join(root, "state", "ethereum.json");
  });
  afterAll(() => {
    process.env.HOME = saved.HOME;
    if (saved.TMPDIR === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved.TMPDIR;
    rmSync(root, { recursive: true, force: true });
  });

  it(`stays bounded over ${2 * BLOCKS} blocks and two runs, and still reorgs ${REORG_DEPTH} deep`, async () => {
    let anvil: AnvilProcess = await startAnvil({ label: "disk", port: await freePort(), chainId: CHAIN_ID, blockTimeSeconds: 3600, stateFile, stateIntervalSeconds: 1 });
    try {
      await mine(anvil.rpcUrl, BLOCKS);
      const top = await head(anvil.rpcUrl);
      const before = await blockHash(anvil.rpcUrl, top - REORG_DEPTH + 1);
      // the replacement chain carries a transfer at its first block, so its hashes differ
      await rpc(anvil.rpcUrl, "anvil_reorg", [REORG_DEPTH, [[TRANSFER, 0]]]);
      expect(await head(anvil.rpcUrl)).toBe(top);
      expect(await blockHash(anvil.rpcUrl, top - REORG_DEPTH + 1)).not.toBe(before);
      await new Promise((r) => setTimeout(r, 1_500)); // a periodic state write happened
      expect(diskUse(root)).toBeLessThan(MAX_DISK);
    } finally {
      await anvil.stop();
    }
    // nothing left behind by a stopped anvil but its (bounded) state file
    expect(diskUse(join(root, "home")) + diskUse(join(root, "tmp"))).toBe(0);
    expect(statSync(stateFile).size).toBeLessThan(MAX_STATE_FILE);

    // a second run continues the chain from the state file, and the file does not grow with it
    anvil = await startAnvil({ label: "disk", port: await freePort(), chainId: CHAIN_ID, blockTimeSeconds: 3600, stateFile, stateIntervalSeconds: 1 });
    try {
      const resumed = await head(anvil.rpcUrl);
      expect(resumed).toBeGreaterThanOrEqual(BLOCKS);
      await mine(anvil.rpcUrl, BLOCKS);
      expect(await head(anvil.rpcUrl)).toBe(resumed + BLOCKS);
      await rpc(anvil.rpcUrl, "anvil_reorg", [REORG_DEPTH, [[TRANSFER, 0]]]);
      expect(diskUse(root)).toBeLessThan(MAX_DISK);
    } finally {
      await anvil.stop();
    }
    expect(diskUse(join(root, "home")) + diskUse(join(root, "tmp"))).toBe(0);
    expect(statSync(stateFile).size).toBeLessThan(MAX_STATE_FILE);
    const state = JSON.parse(readFileSync(stateFile, "utf8")) as { best_block_number: number };
    expect(state.best_block_number).toBe(2 * BLOCKS);
  }, 120_000);
});
