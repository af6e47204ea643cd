// npm run bench:solana — the Solana watcher's cost per pass against open sessions (issue 15, item 8).
// An embedded PostgreSQL and the LiteSVM devnet (in-process), in a temp dir. The merchant's
// token account first gets BENCH_HISTORY transfers carrying foreign references (a real merchant's
// account has traffic), then for each size in BENCH_SIZES (default "1,1000") open Solana sessions
// to that merchant, a warm-up pass and BENCH_PASSES measured passes: JSON-RPC calls per pass
// (counted by a wrapping fetch), per slot (at the worker's 1 pass/s and 400 ms slots) and ms per
// pass (median). Last, one pass that finds a payment to the newest session.
//   env: BENCH_SIZES ("1,1000"), BENCH_PASSES (20), BENCH_HISTORY (50), BENCH_WATCHER_MODULE (the watcher to load)
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createAssociatedTokenAccountIdempotentInstruction, createTransferCheckedInstruction, getAssociatedTokenAddressSync } from "@solana/spl-token";
import { Connection, Keypair, PublicKey, Transaction } from "@solana/web3.js";
import type { ChainConfig } from "@/lib/config";

process.env.LOG_LEVEL ??= "warn";
const { closeDb } = await import("@/lib/db/client");
const { ensureDatabase, startEmbeddedPostgres } = await import("@/lib/db/embedded");
const { runMigrations } = await import("@/lib/db/migrate");
const { startSolanaDevnet, DEVNET_SOLANA_MINTS, devnetSolanaWallets } = await import("@/lib/devnet/solana");
const { freePorts } = await import("@/lib/devnet/free-port");
const { createMerchant } = await import("@/lib/merchants/create-merchant");
const { countingConnection, seedSolanaSessions } = await import("@/test/integration/helpers/solana");
const { SolanaWatcher } = (await import(process.env.BENCH_WATCHER_MODULE ?? "@/lib/chains/solana/watcher")) as typeof import("@/lib/chains/solana/watcher");

const SIZES = (process.env.BENCH_SIZES ?? "1,1000").split(",").map(Number);
const PASSES = Number(process.env.BENCH_PASSES ?? 20);
const HISTORY = Number(process.env.BENCH_HISTORY ?? 50);
const SLOT_MS = 400;
const POLL_MS = 1000;

const log = (m: string) => console.log(`[bench] ${m}`);
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
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const dir = mkdtempSync(path.join(os.tmpdir(), "tollgate-bench-solana-"));
chmodSync(dir, 0o755);
const [pgPort, solPort] = await freePorts(2);
const cleanups: (() => Promise<unknown>)[] = [];
const cleanup = async () => {
  for (const c of cleanups.reverse()) await c().catch(() => {});
  rmSync(dir, { recursive: true, force: true });
};
for (const sig of ["SIGINT", "SIGTERM"] as const) process.on(sig, () => { void cleanup().then(() => process.exit(130)); });

try {
  const pg = await startEmbeddedPostgres({ dir: path.join(dir, "pg"), port: pgPort });
  cleanups.push(() => pg.stop());
  await ensureDatabase(pg.url("postgres"), "bench");
  process.env.DATABASE_URL = pg.url("bench");
  await runMigrations(process.env.DATABASE_URL);
  cleanups.push(() => closeDb());
  const { merchantId } = await createMerchant({ name: "bench", email: "bench@bench.local", password: "bench-password-123" });
  const devnet = await startSolanaDevnet({ port: solPort, slotMs: SLOT_MS, finalizeAfterSlots: 4 });
  cleanups.push(() => devnet.stop());
  const chain: ChainConfig = {
    key: "solana:test", network: "solana", family: "solana", livemode: false, chainId: null, rpcUrls: [devnet.url], publicRpcUrl: null,
    confirmations: 32, maxLagSeconds: 30, enabled: true, assets: { SOL: null, sUSDC: DEVNET_SOLANA_MINTS.USDC, sUSDT: DEVNET_SOLANA_MINTS.USDT },
  };

  const recipient = Keypair.generate().publicKey;
  const [payer] = devnetSolanaWallets();
  const conn = new Connection(devnet.url, "confirmed");
  const mint = new PublicKey(DEVNET_SOLANA_MINTS.USDC);
  const pay = async (reference: PublicKey, amount: bigint) => {
    const to = getAssociatedTokenAddressSync(mint, recipient);
    const ix = createTransferCheckedInstruction(getAssociatedTokenAddressSync(mint, payer.publicKey), mint, to, payer.publicKey, amount, 6);
    ix.keys.push({ pubkey: reference, isSigner: false, isWritable: false });
    const tx = new Transaction().add(createAssociatedTokenAccountIdempotentInstruction(payer.publicKey, to, recipient, mint), ix);
    tx.recentBlockhash = (await conn.getLatestBlockhash()).blockhash;
    tx.feePayer = payer.publicKey;
    tx.sign(payer);
    return conn.sendRawTransaction(tx.serialize());
  };
  for (let i = 0; i < HISTORY; i++) await pay(Keypair.generate().publicKey, 1000n + BigInt(i));
  log(`history: ${HISTORY} transfers to the merchant's USDC account carrying foreign references`);

  const counting = countingConnection(devnet.url);
  const watcher = new SolanaWatcher(chain, { connection: counting.conn });
  const rows: Row[] = [];
  let seeded: Awaited<ReturnType<typeof seedSolanaSessions>> = [];
  for (const size of SIZES) {
    if (size > seeded.length) seeded = [...seeded, ...await seedSolanaSessions(merchantId, size - seeded.length, { livemode: false, recipient: recipient.toBase58(), mint: mint.toBase58() })];
    // warm-up: the history is read once, then finalized behind the cursor
    await watcher.tick();
    await sleep(SLOT_MS * 6);
    await watcher.tick();
    const calls: number[] = [];
    const ms: number[] = [];
    let sigCalls = 0;
    for (let i = 0; i < PASSES; i++) {
      counting.reset();
      const t = performance.now();
      await watcher.tick();
      ms.push(performance.now() - t);
      calls.push(counting.total());
      sigCalls += counting.calls.get("getSignaturesForAddress") ?? 0;
    }
    const perPass = calls.reduce((a, b) => a + b, 0) / PASSES;
    rows.push({
      "open sessions": size, "RPC calls/pass": perPass.toFixed(1), "getSignaturesForAddress/pass": (sigCalls / PASSES).toFixed(1),
      "RPC calls/slot": (perPass * SLOT_MS / POLL_MS).toFixed(2), "ms/pass (median)": median(ms).toFixed(1),
    });
  }
  const [a, b] = [rows[0], rows[rows.length - 1]];
  rows.push({
    "open sessions": `ratio ${b["open sessions"]}/${a["open sessions"]}`,
    "RPC calls/pass": (Number(b["RPC calls/pass"]) / Number(a["RPC calls/pass"])).toFixed(2),
    "getSignaturesForAddress/pass": (Number(b["getSignaturesForAddress/pass"]) / Number(a["getSignaturesForAddress/pass"])).toFixed(2),
    "RPC calls/slot": (Number(b["RPC calls/slot"]) / Number(a["RPC calls/slot"])).toFixed(2),
    "ms/pass (median)": (Number(b["ms/pass (median)"]) / Number(a["ms/pass (median)"])).toFixed(2),
  });
  table(rows);

  // a payment to the newest session: found in one pass, one getTransaction
  const sig = await pay(new PublicKey(seeded[seeded.length - 1].reference), 1_000_000n);
  counting.reset();
  const t = performance.now();
  const r = await watcher.tick();
  log(`payment pass (${seeded.length} open sessions): recorded ${r.recorded}, ${counting.total()} RPC calls (${JSON.stringify(Object.fromEntries(counting.calls))}), ${(performance.now() - t).toFixed(1)} ms; ${sig.slice(0, 12)}…`);
} finally {
  await cleanup();
}
process.exit(0);
