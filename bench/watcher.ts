// npm run bench:watcher — the EVM watcher on anvil (issue 3, item 9):
//   1. builds a history of BLOCKS blocks with PER_BLOCK ERC-20 Transfer logs each (half USDC, half
//      USDT, to random addresses; every 50th block also pays one of our receivers),
//   2. measures the raw eth_getLogs rate over it (the reference) and the raw full-block rate,
//   3. backfills it with the watcher for 10, 10,000 and 1,000,000 watched receivers, counting
//      JSON-RPC calls and HTTP requests, with memory (RSS, heap, the receiver set's table),
//   4. measures detection latency (block mined → checkout processing) with 1 s blocks.
// Everything runs on 127.0.0.1: an embedded PostgreSQL and an anvil of its own, in a temp dir.
//   env: BENCH_BLOCKS (10000), BENCH_PER_BLOCK (20), BENCH_SIZES ("10,10000,1000000"), BENCH_LATENCY_RUNS (10)
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { spawn } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { encodeFunctionData, erc20Abi } from "viem";

process.env.LOG_LEVEL ??= "warn";
const { RpcChainReader } = await import("@/lib/chains/evm/chain-reader");
const { EvmRpc, newRpcStats } = await import("@/lib/chains/evm/rpc");
const { EvmWatcher } = await import("@/lib/chains/evm/watcher");
const { WatchedReceivers } = await import("@/lib/chains/evm/watched-receivers");
const { runEvmWatcher } = await import("@/lib/chains/evm/run-watcher");
const { closeDb, db } = await import("@/lib/db/client");
const { ensureDatabase, startEmbeddedPostgres } = await import("@/lib/db/embedded");
const { runMigrations } = await import("@/lib/db/migrate");
const { resolveAnvilBinary } = await import("@/lib/devnet/anvil-process");
const { ensureDevnetTokens, standardAccounts } = await import("@/lib/devnet/deploy-tokens");
const { DEVNET_MNEMONIC, DEVNET_TOKEN_ADDRESSES } = await import("@/lib/devnet/evm-constants");
const { freePorts } = await import("@/lib/devnet/free-port");
const { evmAddressAt } = await import("@/lib/keys/derive");
const { ensureKeyRoots, xpubOf } = await import("@/lib/keys/roots");
const { createMerchant } = await import("@/lib/merchants/create-merchant");
const { Leases } = await import("@/lib/worker/leases");
const helpers = await import("@/test/integration/helpers/watcher");
import type { ChainConfig } from "@/lib/config";

const BLOCKS = Number(process.env.BENCH_BLOCKS ?? 10_000);
const PER_BLOCK = Number(process.env.BENCH_PER_BLOCK ?? 20);
const SIZES = (process.env.BENCH_SIZES ?? "10,10000,1000000").split(",").map(Number);
const LATENCY_RUNS = Number(process.env.BENCH_LATENCY_RUNS ?? 10);
const RANGE = 1000;
const HOT = 5;
const RECIPIENTS = 5000; // receivers of ours that the history pays now and then

const hex = (n: number | bigint) => `0x${n.toString(16)}`;
const mb = (b: number) => (b / 2 ** 20).toFixed(1);
const log = (m: string) => console.log(`[bench] ${m}`);
const gc = () => (globalThis as { gc?: () => void }).gc?.();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Row = Record<string, string | number>;
const table = (rows: Row[]) => {
  const cols = Object.keys(rows[0]);
  const w = cols.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c]).length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padStart(w[i])).join(" | ")} |`;
  console.log(line(cols));
  console.log(`|${w.map((n) => "-".repeat(n + 2)).join("|")}|`);
  for (const r of rows) console.log(line(cols.map((c) => String(r[c]))));
};

async function rpc<T = unknown>(url: string, body: unknown): Promise<T> {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  return res.json() as Promise<T>;
}
let rid = 0;
const call = (method: string, params: unknown[] = []) => ({ jsonrpc: "2.0", id: ++rid, method, params });
async function one<T = unknown>(url: string, method: string, params: unknown[] = []): Promise<T> {
  const r = await rpc<{ result?: T; error?: { message: string } }>(url, call(method, params));
  if (r.error) throw new Error(`${method}: ${r.error.message}`);
  return r.result as T;
}

const dir = mkdtempSync(path.join(os.tmpdir(), "tollgate-bench-watcher-"));
chmodSync(dir, 0o755);
const [pgPort, anvilPort] = await freePorts(2);
const cleanups: (() => Promise<unknown>)[] = [];
const cleanup = async () => {
  for (const c of cleanups.reverse()) await c().catch(() => {});
  rmSync(dir, { recursive: true, force: true });
};
for (const sig of ["SIGINT", "SIGTERM"] as const) process.on(sig, () => { void cleanup().then(() => process.exit(130)); });

try {
  // ── set-up ────────────────────────────────────────────────────────────────────────────────
  const pg = await startEmbeddedPostgres({ dir: path.join(dir, "pg"), port: pgPort });
  cleanups.push(() => pg.stop());
  await ensureDatabase(pg.url("postgres"), "bench");
  process.env.DATABASE_URL = pg.url("bench");
  await runMigrations(process.env.DATABASE_URL);
  cleanups.push(() => closeDb());
  await ensureKeyRoots(DEVNET_MNEMONIC);
  const xpub = (await xpubOf("evm"))!;
  const { merchantId } = await createMerchant({ name: "bench", email: "bench@bench.local", password: "bench-password-123" });

  // mined on demand while the history is built; --prune-history: no per-block state snapshots
  // (blocks, receipts and logs stay), which keeps mining 10k blocks from slowing to a crawl
  const url = `http://127.0.0.1:${anvilPort}`;
  const anvil = spawn(resolveAnvilBinary(), ["--host", "127.0.0.1", "--port", String(anvilPort), "--chain-id", "31337", "--no-mining", "--prune-history", "64", "--silent"], { stdio: "ignore" });
  const anvilExited = new Promise((r) => anvil.once("exit", r));
  cleanups.push(async () => { anvil.kill("SIGTERM"); await anvilExited; });
  for (let i = 0; ; i++) {
    try { await one(url, "eth_chainId"); break; } catch (e) { if (i > 200) throw e; await sleep(50); }
  }
  const tokens = [DEVNET_TOKEN_ADDRESSES.USDC, DEVNET_TOKEN_ADDRESSES.USDT];
  // our receivers that the history pays (permanent addresses: derivation indexes 1…HOT)
  const hot = Array.from({ length: HOT }, (_, i) => evmAddressAt(xpub, i + 1));
  const chain: ChainConfig = {
    key: "ethereum:test", network: "ethereum", family: "evm", livemode: false, chainId: 31337, rpcUrls: [url], publicRpcUrl: null,
    confirmations: 12, maxLagSeconds: 30, enabled: true, assets: { ETH: null, eUSDC: tokens[0], eUSDT: tokens[1] },
  };

  await db().execute(sql`insert into receivers (merchant_id, livemode, family, address, derivation_index)
    select ${merchantId}, false, 'evm', a, i from unnest(${sql.param(hot)}::text[]) with ordinality as t(a, i)`);
  await db().execute(sql`select setval('receiver_index_seq', ${HOT})`);

  const accounts = standardAccounts();
  // ── history ───────────────────────────────────────────────────────────────────────────────
  type Meta = { first: number; last: number; paidHot: number; buildS: number };
  await ensureDevnetTokens(url, 31337);
  const { first, last, paidHot, buildS } = await buildHistory();

  async function buildHistory(): Promise<Meta> {
    const nonces = await Promise.all(accounts.map(async (a) => Number.parseInt(await one<string>(url, "eth_getTransactionCount", [a, "latest"]), 16)));
    const fee = { maxFeePerGas: hex(50_000_000_000n), maxPriorityFeePerGas: hex(1n) };
    const first = Number.parseInt(await one<string>(url, "eth_blockNumber"), 16) + 1;
    // a few thousand recurring counterparties, as on a real chain: fresh addresses in every
    // transfer would grow the tokens' storage without bound and slow anvil's mining to a crawl
    const recipients = Array.from({ length: RECIPIENTS }, () => `0x${Buffer.from(crypto.getRandomValues(new Uint8Array(20))).toString("hex")}` as `0x${string}`);
    const randomAddress = () => recipients[Math.floor(Math.random() * recipients.length)];
    let paidHot = 0;
    const built = performance.now();
    for (let b = 0; b < BLOCKS; b++) {
      const batch = [];
      for (let i = 0; i < PER_BLOCK; i++) {
        const a = i % accounts.length;
        const to = i === 0 && b % 50 === 0 ? hot[(paidHot++) % HOT] : randomAddress();
        batch.push(call("eth_sendTransaction", [{
          from: accounts[a], to: tokens[i % 2], nonce: hex(nonces[a]++), gas: hex(80_000), ...fee,
          data: encodeFunctionData({ abi: erc20Abi, functionName: "transfer", args: [to, 1000n + BigInt(i)] }),
        }]));
      }
      const res = await rpc<{ error?: { message: string } }[]>(url, batch);
      const bad = res.find((r) => r.error);
      if (bad) throw new Error(`history: ${bad.error!.message}`);
      await one(url, "evm_mine");
      if ((b + 1) % 1000 === 0) log(`history: ${b + 1}/${BLOCKS} blocks (${((b + 1) / ((performance.now() - built) / 1000)).toFixed(0)} blocks/s)`);
    }
    const last = Number.parseInt(await one<string>(url, "eth_blockNumber"), 16);
    const buildS = (performance.now() - built) / 1000;
    log(`history: blocks ${first}…${last}, ${PER_BLOCK} transfers each, ${paidHot} to our receivers, built in ${buildS.toFixed(0)} s`);
    return { first, last, paidHot, buildS };
  }

  // ── references: raw eth_getLogs and raw full blocks over the same history ────────────────
  const reference = new EvmRpc([url], { stats: newRpcStats() });
  const reader = new RpcChainReader(reference);
  const tokenList = tokens.map((x) => x.toLowerCase() as `0x${string}`);
  let logCount = 0;
  let rawLogsRate = 0;
  for (let pass = 0; pass < 2; pass++) { // the better of two passes: anvil warms up
    const t0 = performance.now();
    logCount = 0;
    for (let s = first; s <= last; s += RANGE) logCount += (await reader.transferLogs(s, Math.min(last, s + RANGE - 1), tokenList)).length;
    rawLogsRate = Math.max(rawLogsRate, (last - first + 1) / ((performance.now() - t0) / 1000));
  }
  let t = performance.now();
  t = performance.now();
  const sample = last - first + 1; // the whole history: this also warms anvil up for the backfills
  for (let s = first; s < first + sample; s += RANGE) {
    await reader.blocks(Array.from({ length: Math.min(RANGE, first + sample - s) }, (_, i) => s + i), true);
  }
  const rawBlocksRate = sample / ((performance.now() - t) / 1000);
  t = performance.now();
  for (let s = first; s < first + sample; s += RANGE) {
    await reader.blocks(Array.from({ length: Math.min(RANGE, first + sample - s) }, (_, i) => s + i), false);
  }
  const rawHeadersRate = sample / ((performance.now() - t) / 1000);
  log(`raw eth_getLogs: ${rawLogsRate.toFixed(0)} blocks/s (${logCount} logs); full blocks: ${rawBlocksRate.toFixed(0)} blocks/s; headers: ${rawHeadersRate.toFixed(0)} blocks/s`);

  // ── backfill per receiver count ───────────────────────────────────────────────────────────
  const [parentOfFirst] = await reader.blocks([first - 1], false);
  const rows: Row[] = [];
  let have = HOT;
  for (const size of SIZES) {
    if (size > have) {
      const ti = performance.now();
      // random addresses (sha256 of a counter); indexes from the sequence, as every receiver's
      await db().execute(sql`insert into receivers (merchant_id, livemode, family, address, derivation_index)
        select ${merchantId}, false, 'evm', '0x' || substr(encode(sha256(('bench-' || i)::text::bytea), 'hex'), 1, 40), nextval('receiver_index_seq')
        from generate_series(${have - HOT + 1}::bigint, ${size - HOT}::bigint) as i`);
      // steady state: autovacuum would have analyzed the table by now on a live system
      await db().execute(sql`vacuum analyze receivers`);
      log(`receivers: ${have} → ${size} rows in ${((performance.now() - ti) / 1000).toFixed(1)} s`);
      have = size;
    }
    for (const native of [true, false]) {
      await db().execute(sql`truncate deposits, events, chain_blocks, network_status cascade`);
      await db().execute(sql`insert into network_status (network, livemode, chain_id, head_number, head_hash, head_time)
        values ('ethereum', false, 31337, ${first - 1}, ${parentOfFirst!.hash}, to_timestamp(${parentOfFirst!.timestamp}))`);
      gc();
      const receivers = new WatchedReceivers("evm", false);
      const tl = performance.now();
      await receivers.refreshAfter(Date.now());
      const loadMs = performance.now() - tl;
      gc();
      const after = process.memoryUsage();
      const stats = newRpcStats();
      const watcher = new EvmWatcher(chain, { reader: new RpcChainReader(new EvmRpc([url], { stats })), receivers, native, maxRange: RANGE, tickBudgetMs: 3600_000 });
      const tb = performance.now();
      let credits = 0;
      for (;;) {
        const r = await watcher.tick();
        credits += r.credits;
        if (r.caughtUp) break;
      }
      const seconds = (performance.now() - tb) / 1000;
      const blocks = last - first + 1;
      const [{ n }] = (await db().execute<{ n: number }>(sql`select count(*)::int as n from deposits`)).rows;
      rows.push({
        receivers: size.toLocaleString("en"),
        "native scan": native ? "yes" : "no",
        "set load ms": loadMs.toFixed(0),
        "set table MiB": mb(receivers.bytes),
        "RSS MiB": mb(after.rss),
        "heap MiB": mb(after.heapUsed),
        "arrayBuffers MiB": mb(after.arrayBuffers),
        "RPC calls/block": (stats.calls / blocks).toFixed(3),
        "HTTP req/block": (stats.http / blocks).toFixed(3),
        "backfill blocks/s": (blocks / seconds).toFixed(0),
        "÷ raw getLogs": (blocks / seconds / rawLogsRate).toFixed(2),
        deposits: `${n}/${paidHot}`,
      });
      log(`backfill ${size} receivers, native ${native}: ${(blocks / seconds).toFixed(0)} blocks/s, ${JSON.stringify(stats.byMethod)}, credits ${credits}`);
    }
  }

  // ── detection latency with 1 s blocks ─────────────────────────────────────────────────────
  await one(url, "evm_setIntervalMining", [1]);
  const leases = new Leases();
  const stats = newRpcStats();
  const running = runEvmWatcher(chain, { leases, reader: new RpcChainReader(new EvmRpc([url], { stats })), native: true, pollMs: 1000 });
  await sleep(3000);
  const startBlock = Number.parseInt(await one<string>(url, "eth_blockNumber"), 16);
  const statsStart = { ...stats };
  const lat: { mined: number; sent: number }[] = [];
  for (let i = 0; i < LATENCY_RUNS; i++) {
    const c = await helpers.insertSession(merchantId, 1_000_000n);
    const { receiver } = await helpers.attachReceiver(c.id);
    await sleep(Math.random() * 1000); // land anywhere in the block interval
    const sent = performance.now();
    const hash = await one<string>(url, "eth_sendTransaction", [{
      from: accounts[0], to: tokens[0], data: encodeFunctionData({ abi: erc20Abi, functionName: "transfer", args: [receiver, 1_000_000n] }),
    }]);
    let mined = 0;
    let processing = 0;
    while (!processing) {
      if (!mined && (await one(url, "eth_getTransactionReceipt", [hash]))) mined = performance.now();
      if ((await helpers.checkoutRow(c.id)).status === "processing") processing = performance.now();
      else await sleep(10);
    }
    lat.push({ mined: processing - (mined || processing), sent: processing - sent });
  }
  const endBlock = Number.parseInt(await one<string>(url, "eth_blockNumber"), 16);
  const followCalls = stats.calls - statsStart.calls;
  await running.stop();
  await leases.close();
  const q = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];

  // ── report ────────────────────────────────────────────────────────────────────────────────
  console.log(`\nEVM watcher benchmark — anvil 1.7.1, ${os.cpus().length} cores, Node ${process.version}`);
  console.log(`history: ${last - first + 1} blocks × ${PER_BLOCK} ERC-20 transfers (${logCount} Transfer logs, ${PER_BLOCK} txs per block), built in ${buildS.toFixed(0)} s`);
  console.log(`reference, same run: raw eth_getLogs ${rawLogsRate.toFixed(0)} blocks/s (ranges of ${RANGE}); raw eth_getBlockByNumber with txs ${rawBlocksRate.toFixed(0)} blocks/s, headers only ${rawHeadersRate.toFixed(0)} blocks/s (batches of 100, 4 in flight, as the watcher fetches them)\n`);
  table(rows);
  console.log(`\ndetection latency, 1 s blocks, 1 s polling, ${LATENCY_RUNS} payments (receiver created while the watcher runs):`);
  table([
    { from: "block observable over RPC → processing", p50: `${q(lat.map((l) => l.mined), 0.5).toFixed(0)} ms`, max: `${Math.max(...lat.map((l) => l.mined)).toFixed(0)} ms` },
    { from: "transaction sent → processing", p50: `${q(lat.map((l) => l.sent), 0.5).toFixed(0)} ms`, max: `${Math.max(...lat.map((l) => l.sent)).toFixed(0)} ms` },
  ]);
  console.log(`following the head: ${(followCalls / Math.max(1, endBlock - startBlock)).toFixed(2)} RPC calls per block (head poll + block + logs)`);
} finally {
  await cleanup();
}
process.exit(0);
