// npm run bench:cost — what moving a payment costs on chain (issue 21), side by side in one run:
// N checkout sessions (N = 1, 10, 100) paid in USDC on two devnet chains that differ only in the
// forwarding strategy — Ethereum's devnet forwards by EIP-7702 batch sweeps (the default), the
// Polygon devnet one by one (POLYGON_TEST_DELEGATED_SWEEPS=0: gas funding from the hot wallet,
// then the receiver's own transfer). Both are anvil (Prague) with the same mock ERC-20 and gas
// schedule. The real worker watches, confirms and forwards; the payments are sent by an
// independent client (viem, from a funded devnet account). Gas per payment is read from the
// receipts of every transaction the worker sent for those sessions (forwards, gas funding): the
// sweeper's one-off deployment is reported on its own line. A third strategy on Ethereum's devnet:
// a merchant that reuses checkout addresses (lib/receivers/reuse), whose addresses have delegated
// already, so its batch sweeps carry no EIP-7702 authorization (25,000 gas each). Then Tron USDT:
// burning TRX for energy next to TRX staked for energy, on the Tron devnet behind the TronGrid
// stand-in (BENCH_TRON_SIZES, "" to skip).
import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { generateMnemonic } from "@scure/bip39";
import { wordlist } from "@scure/bip39/wordlists/english.js";
import pg from "pg";
import { createPublicClient, createWalletClient, erc20Abi, getAddress, http, type Address, type Hex } from "viem";
import { mnemonicToAccount, generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { ensureDatabase, startEmbeddedPostgres } from "@/lib/db/embedded";
import { runMigrations } from "@/lib/db/migrate";
import { freePorts } from "@/lib/devnet/free-port";
import { ROOT } from "./lib/stack";

const SIZES = (process.env.BENCH_SIZES ?? "1,10,100").split(",").map(Number);
const AMOUNT = 5_000_000n; // 5 USDC
const log = (m: string) => console.error(`[bench] ${m}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const dir = mkdtempSync(path.join(os.tmpdir(), "tollgate-bench-cost-"));
chmodSync(dir, 0o755);
const [pgPort, ethPort, polyPort, tronPort] = await freePorts(4);
/** Tron rounds: BENCH_TRON_SIZES (default the EVM sizes); "" skips Tron */
const TRON_SIZES = (process.env.BENCH_TRON_SIZES ?? SIZES.join(",")).split(",").filter(Boolean).map(Number);
/** TRX the hot wallet stakes for energy in the staked-energy rounds: the stand-in never regenerates used energy, so enough for every payment */
const TRON_STAKE_TRX = 1_000_000;
const mnemonic = generateMnemonic(wordlist);
const env: Record<string, string> = {
  TOLLGATE_MODE: "test", TOLLGATE_DEVNET: "1", TOLLGATE_DATA_DIR: path.join(dir, "data"), TOLLGATE_MNEMONIC: mnemonic,
  LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? "warn",
  DEVNET_ETHEREUM_PORT: String(ethPort), DEVNET_POLYGON_PORT: String(polyPort),
  ETHEREUM_TEST_DELEGATED_SWEEPS: "1", POLYGON_TEST_DELEGATED_SWEEPS: "0",
  ...Object.fromEntries(["BSC", "BAHAMUT", "SOLANA", "TON", "BITCOIN", "LITECOIN", ...(TRON_SIZES.length ? [] : ["TRON"])].map((n) => [`${n}_TEST_ENABLED`, "0"])),
};
Object.assign(process.env, env);

let worker: ChildProcess | undefined;
const cleanups: (() => Promise<unknown>)[] = [];
async function teardown() {
  // the worker first: PostgreSQL stopping under it would only fill the log
  if (worker && worker.exitCode === null && worker.signalCode === null) {
    const exited = new Promise((r) => worker!.once("exit", r));
    worker.kill("SIGTERM");
    await Promise.race([exited, sleep(10_000)]);
  }
  for (const c of cleanups.reverse()) await c().catch(() => {});
  rmSync(dir, { recursive: true, force: true });
}

try {
  const pgServer = await startEmbeddedPostgres({ dir: path.join(dir, "postgres"), port: pgPort, log: () => {} });
  cleanups.push(() => pgServer.stop());
  await ensureDatabase(pgServer.url("postgres"), "tollgate_bench");
  const databaseUrl = pgServer.url("tollgate_bench");
  await runMigrations(databaseUrl, path.join(ROOT, "db/migrations"));
  process.env.DATABASE_URL = env.DATABASE_URL = databaseUrl;

  const { startEvmDevnet } = await import("@/lib/devnet/evm");
  const devnet = await startEvmDevnet({ networks: ["ethereum", "polygon"], ports: [ethPort, polyPort], blockTimeSeconds: 1 });
  cleanups.push(() => devnet.stop());
  // Tron: its devnet (anvil) behind the TronGrid stand-in the tests use (TronGrid cannot be reached
  // from here): Stake 2.0, energy and bandwidth as the stand-in models them (test/helpers/trongrid-stand-in.ts)
  let grid: { url: string; energyFee: bigint; stop: () => Promise<void> } | undefined;
  let tronRpc = "";
  if (TRON_SIZES.length) {
    const { startTronDevnet } = await import("@/lib/devnet/tron");
    const { TronGridOnAnvil } = await import("../test/helpers/trongrid-stand-in");
    const tron = await startTronDevnet({ port: tronPort, blockTimeSeconds: 1 });
    cleanups.push(() => tron.stop());
    const g = new TronGridOnAnvil(tron.rpcUrl);
    await g.start();
    cleanups.push(() => g.stop());
    grid = g;
    tronRpc = tron.rpcUrl;
    Object.assign(env, {
      TRON_TEST_RPC_URL: `${g.url}/jsonrpc`, TRON_TEST_SENDER: "trongrid", TRON_TEST_API_URL: g.url, TRON_TEST_CONFIRMATIONS: "1", TRON_TEST_STAKE_TRX: "0",
    });
    Object.assign(process.env, env);
  }
  const { config } = await import("@/lib/config");
  const { fundDevnetHotWallet } = await import("@/lib/forwarding/fund-devnet-hot-wallet");
  const { hotWalletAddress } = await import("@/lib/forwarding/hot-wallet");
  const { createMerchant } = await import("@/lib/merchants/create-merchant");
  const { planSession } = await import("@/lib/sessions/create-session");
  const { choosePaymentMethod } = await import("@/lib/sessions/choose-payment-method");
  const { CREATE2_PROXY } = await import("@/lib/chains/evm/sweeper");
  const { DEVNET_MNEMONIC } = await import("@/lib/devnet/evm-constants");
  const { REUSE_AFTER_MS } = await import("@/lib/receivers/reuse");

  const chains = config().networks.filter((c) => !c.livemode && (c.network === "ethereum" || c.network === "polygon"));
  const hot = hotWalletAddress(mnemonic);
  for (const c of chains) await fundDevnetHotWallet(c.rpcUrls[0], hot);
  const { merchantId } = await createMerchant({ name: "Bench", email: "bench-cost@example.test", password: "bench-cost-password-1" });
  const scope = { merchantId, livemode: false, merchant: { name: "Bench", defaultExpirySeconds: 3600 } };
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  cleanups.push(() => pool.end());

  const startWorker = (extra: Record<string, string> = {}) => {
    worker = spawn(process.execPath, ["--import", "tsx", "workers/index.ts"], {
      cwd: ROOT, env: { ...process.env, ...env, ...extra, TOLLGATE_SERVICE: "worker" }, stdio: ["ignore", process.env.BENCH_WORKER_LOG ? "inherit" : "ignore", "inherit"],
    });
  };
  const stopWorker = async () => {
    if (!worker || worker.exitCode !== null || worker.signalCode !== null) return;
    const exited = new Promise((r) => worker!.once("exit", r));
    worker.kill("SIGTERM");
    if (!(await Promise.race([exited.then(() => true), sleep(20_000).then(() => false)]))) worker.kill("SIGKILL");
    await exited;
  };
  startWorker();
  // the worker records the instance's public key roots at start: addresses derive from them
  for (let i = 0; ; i++) {
    const { rows: k } = await pool.query("select 1 from key_roots limit 1");
    if (k.length > 0) break;
    if (i > 600) throw new Error("the worker recorded no key roots in 60 s");
    await sleep(100);
  }

  type Row = { strategy: string; network: string; n: number; payments: number; txs: number; gas: bigint; seconds: number };
  type Scope = typeof scope;
  const rows: Row[] = [];
  /** n sessions of `who` paid to their receivers, until the worker settled them all: their receivers, transactions and gas */
  async function payRound(chain: (typeof chains)[number], who: Scope, n: number) {
    const started = Date.now();
    const client = createPublicClient({ transport: http(chain.rpcUrls[0]) });
    const usdc = getAddress(chain.assets[Object.keys(chain.assets).find((k) => k.endsWith("USDC") && !k.startsWith("wp"))!]!);
    const payer = mnemonicToAccount(DEVNET_MNEMONIC, { addressIndex: 1 });
    const wallet = createWalletClient({ account: payer, transport: http(chain.rpcUrls[0]) });
    // n sessions paid to their receivers, each forwarded to a destination that already holds the token (a merchant's treasury)
    const destination = privateKeyToAccount(generatePrivateKey()).address;
    const ids: string[] = [];
    const receivers: Address[] = [];
    for (let i = 0; i < n; i++) {
      const { row, insert } = planSession(who, {
        destination: { type: "evm", address: destination, chainId: chain.chainId!, tokenAddress: usdc, amountUnits: "5" },
      });
      await pool.query(insert.text, insert.values);
      const chosen = await choosePaymentMethod(who, row.id, { type: "evm", chainId: chain.chainId!, tokenAddress: usdc });
      ids.push(row.id);
      receivers.push(getAddress(chosen.session.paymentMethodReceiverAddress!));
    }
    let nonce = await client.getTransactionCount({ address: payer.address, blockTag: "pending" });
    // the treasury holds the token already (as a merchant's settlement address does): forwards add to a balance
    await client.waitForTransactionReceipt({
      hash: await wallet.writeContract({ chain: null, address: usdc, abi: erc20Abi, functionName: "transfer", args: [destination, 1n], nonce: nonce++ }), pollingInterval: 200,
    });
    const hashes: Hex[] = [];
    for (const to of receivers) {
      hashes.push(await wallet.writeContract({ chain: null, address: usdc, abi: erc20Abi, functionName: "transfer", args: [to, AMOUNT], nonce: nonce++ }));
    }
    for (const h of hashes) await client.waitForTransactionReceipt({ hash: h, pollingInterval: 200 });
    // until every session succeeded (the worker confirms, forwards and settles)
    const deadline = Date.now() + Number(process.env.BENCH_SETTLE_TIMEOUT_MS ?? 600_000);
    for (;;) {
      const { rows: st } = await pool.query<{ n: string }>("select count(*) as n from checkouts where id = any($1) and status = 'succeeded'", [ids]);
      if (Number(st[0].n) === n) break;
      if (Date.now() > deadline) throw new Error(`${chain.key}: ${st[0].n}/${n} sessions succeeded in time`);
      await sleep(500);
    }
    const { rows: out } = await pool.query<{ tx_hash: string }>(
      "select distinct tx_hash from outbound_txs where checkout_id = any($1) and tx_hash is not null and status = 'confirmed'", [ids],
    );
    let gas = 0n;
    for (const { tx_hash } of out) gas += (await client.getTransactionReceipt({ hash: tx_hash as Hex })).gasUsed;
    return { receivers, txs: out.length, gas, seconds: (Date.now() - started) / 1000 };
  }
  const record = (strategy: string, network: string, n: number, r: Awaited<ReturnType<typeof payRound>>) => {
    rows.push({ strategy, network, n, payments: n, txs: r.txs, gas: r.gas, seconds: r.seconds });
    log(`${strategy}, ${network} N=${n}: ${r.txs} transactions, ${r.gas} gas (${r.seconds} s)`);
  };
  for (const chain of chains) {
    const strategy = chain.delegatedSweeps ? "EIP-7702 batch sweep" : "one by one (gas funding + transfer)";
    for (const n of SIZES) record(strategy, chain.network, n, await payRound(chain, scope, n));
  }
  // A merchant that reuses checkout addresses (lib/receivers/reuse): a first round of max(N) checkouts
  // delegates its addresses (the fresh cost, not counted); each measured round then takes them over.
  // An address is taken over only 8 days after its checkout's expiry: the bench moves the windows
  // back instead of waiting (the same update the integration test makes), after every round.
  const delegated = chains.find((c) => c.delegatedSweeps);
  if (delegated) {
    const reuse = await createMerchant({ name: "Bench reuse", email: "bench-cost-reuse@example.test", password: "bench-cost-password-1" });
    await pool.query("update merchants set reuse_receivers = true where id = $1", [reuse.merchantId]);
    const who = { merchantId: reuse.merchantId, livemode: false, merchant: { name: "Bench reuse", defaultExpirySeconds: 3600 } };
    const age = () => pool.query("update receivers set watch_until = now() - make_interval(secs => $2) where merchant_id = $1", [reuse.merchantId, REUSE_AFTER_MS / 1000]);
    const first = await payRound(delegated, who, Math.max(...SIZES));
    log(`reuse: ${first.receivers.length} addresses delegated by a first round (${first.gas} gas, not counted)`);
    let taken = new Set(first.receivers);
    for (const n of SIZES) {
      await age();
      const r = await payRound(delegated, who, n);
      const reused = r.receivers.filter((a) => taken.has(a)).length;
      if (reused !== n) throw new Error(`reuse round N=${n}: ${reused} of ${n} checkouts took an earlier address`);
      record("EIP-7702 batch sweep, addresses reused", delegated.network, n, r);
      taken = new Set([...taken, ...r.receivers]);
    }
  }
  // Tron USDT: the same checkouts paid on Tron, forwarded to the merchant's Tron settlement address,
  // first by burning TRX for energy (the hot wallet funds each receiver), then, with the worker
  // restarted with TRX staked for energy (Stake 2.0), by lending each receiver energy. TRX figures are
  // from the rows the worker recorded from each transaction's receipt (fee_paid, energy_used, energy_fee).
  type TronRow = { strategy: string; n: number; txs: number; energy: bigint; burned: bigint; sweepBurned: bigint };
  const tronRows: TronRow[] = [];
  const tronChain = config().networks.find((c) => c.key === "tron:test");
  if (TRON_SIZES.length && tronChain && grid) {
    const { mintDevnetToken, DEVNET_TOKEN_ADDRESSES } = await import("@/lib/devnet/evm");
    const { hexToTron, tronToHex } = await import("@/lib/addresses");
    const { tronAccountAt, HOT_WALLET_INDEX } = await import("@/lib/keys/derive");
    await fundDevnetHotWallet(tronRpc, tronAccountAt(mnemonic, HOT_WALLET_INDEX).address);
    const tronMerchant = await createMerchant({ name: "Bench Tron", email: "bench-cost-tron@example.test", password: "bench-cost-password-1" });
    await pool.query("insert into settlement_addresses (merchant_id, network, livemode, address) values ($1, 'tron', false, $2)",
      [tronMerchant.merchantId, hexToTron(privateKeyToAccount(generatePrivateKey()).address)]);
    const who = { merchantId: tronMerchant.merchantId, livemode: false, merchant: { name: "Bench Tron", defaultExpirySeconds: 3600 } };
    const payer = mnemonicToAccount(DEVNET_MNEMONIC, { addressIndex: 2 });
    const client = createPublicClient({ transport: http(tronRpc) });
    const wallet = createWalletClient({ account: payer, transport: http(tronRpc) });
    const usdt = DEVNET_TOKEN_ADDRESSES.USDT;
    const eth = chains.find((c) => c.network === "ethereum")!;
    const ethUsdc = getAddress(eth.assets[Object.keys(eth.assets).find((k) => k.endsWith("USDC") && !k.startsWith("wp"))!]!);
    const tronRound = async (strategy: string, n: number) => {
      const ids: string[] = [];
      const receivers: string[] = [];
      for (let i = 0; i < n; i++) {
        const { row, insert } = planSession(who, {
          destination: { type: "evm", address: privateKeyToAccount(generatePrivateKey()).address, chainId: eth.chainId!, tokenAddress: ethUsdc, amountUnits: "5" },
        });
        await pool.query(insert.text, insert.values);
        const chosen = await choosePaymentMethod(who, row.id, { type: "tron" });
        ids.push(row.id);
        receivers.push(chosen.session.paymentMethodReceiverAddress!);
      }
      await client.waitForTransactionReceipt({ hash: await mintDevnetToken(tronRpc, usdt, payer.address, AMOUNT * BigInt(n)), pollingInterval: 200 });
      let nonce = await client.getTransactionCount({ address: payer.address, blockTag: "pending" });
      const hashes: Hex[] = [];
      for (const to of receivers) {
        hashes.push(await wallet.writeContract({ chain: null, address: usdt, abi: erc20Abi, functionName: "transfer", args: [tronToHex(to) as Address, AMOUNT], nonce: nonce++ }));
      }
      for (const h of hashes) await client.waitForTransactionReceipt({ hash: h, pollingInterval: 200 });
      const deadline = Date.now() + Number(process.env.BENCH_SETTLE_TIMEOUT_MS ?? 600_000);
      for (;;) {
        // succeeded, and (staked) the lent energy taken back
        const { rows: st } = await pool.query<{ n: string; open: string; lent: string }>(`select
            (select count(*) from checkouts where id = any($1) and status = 'succeeded') as n,
            (select count(*) from outbound_txs where checkout_id = any($1) and status in ('created', 'signed', 'broadcast')) as open,
            (select count(*) from outbound_txs d where d.checkout_id = any($1) and d.purpose = 'energy_delegation' and d.status = 'confirmed'
               and not exists (select 1 from outbound_txs r where r.checkout_id = d.checkout_id and r.purpose = 'energy_reclaim' and r.status = 'confirmed')) as lent`, [ids]);
        if (Number(st[0].n) === n && Number(st[0].open) === 0 && Number(st[0].lent) === 0) break;
        if (Date.now() > deadline) throw new Error(`tron: ${st[0].n}/${n} sessions succeeded in time`);
        await sleep(500);
      }
      const { rows: out } = await pool.query<{ purpose: string; fee: string | null; energy: string | null; amount: string }>(
        "select purpose, fee_paid::text as fee, energy_used::text as energy, amount::text from outbound_txs where checkout_id = any($1) and status = 'confirmed'", [ids]);
      const sum = (xs: bigint[]) => xs.reduce((a, b) => a + b, 0n);
      const r: TronRow = {
        strategy, n, txs: out.length,
        energy: sum(out.map((o) => BigInt(o.energy ?? 0))),
        burned: sum(out.map((o) => BigInt(o.fee ?? 0))),
        sweepBurned: sum(out.filter((o) => o.purpose === "forward").map((o) => BigInt(o.fee ?? 0))),
      };
      tronRows.push(r);
      log(`${strategy}, tron N=${n}: ${r.txs} transactions, ${r.energy} energy, ${r.burned} sun burned (sweeps ${r.sweepBurned})`);
    };
    for (const n of TRON_SIZES) await tronRound("burn TRX for energy", n);
    await stopWorker();
    startWorker({ TRON_TEST_STAKE_TRX: String(TRON_STAKE_TRX) });
    for (const n of TRON_SIZES) await tronRound(`${TRON_STAKE_TRX.toLocaleString("en")} TRX staked for energy`, n);
  }

  // the sweeper's deployment (once per instance and network; not an outbound row): the hot wallet's transaction to the CREATE2 proxy
  let deployGas = 0n;
  const eth = chains.find((c) => c.delegatedSweeps);
  if (eth) {
    const client = createPublicClient({ transport: http(eth.rpcUrls[0]) });
    const head = await client.getBlockNumber();
    for (let b = 0n; b <= head && deployGas === 0n; b++) {
      const block = await client.getBlock({ blockNumber: b, includeTransactions: true });
      for (const tx of block.transactions) {
        if (getAddress(tx.from) === hot && tx.to && getAddress(tx.to) === CREATE2_PROXY) deployGas += (await client.getTransactionReceipt({ hash: tx.hash })).gasUsed;
      }
    }
  }

  const perPayment = (r: Row) => r.gas / BigInt(r.payments);
  const baseline = (n: number) => rows.find((r) => r.n === n && r.strategy.startsWith("one by one"));
  console.log("");
  console.log("strategy                                 network    N    txs   gas total    gas/payment  × one by one");
  for (const r of rows) {
    const b = baseline(r.n);
    const ratio = b ? (Number(perPayment(r)) / Number(perPayment(b))).toFixed(2) : "-";
    console.log(`${r.strategy.padEnd(40)} ${r.network.padEnd(10)} ${String(r.n).padStart(3)} ${String(r.txs).padStart(6)} ${String(r.gas).padStart(12)} ${String(perPayment(r)).padStart(12)}  ${ratio}`);
  }
  console.log(`sweeper deployment (once per instance and network): ${deployGas} gas`);
  if (tronRows.length) {
    const trx = (sun: bigint, n: number) => (Number(sun) / 1e6 / n).toFixed(3);
    console.log("");
    console.log("tron USDT                                N    txs   energy/payment  TRX burned/payment  of which by sweeps");
    for (const r of tronRows) {
      console.log(`${r.strategy.padEnd(40)} ${String(r.n).padStart(3)} ${String(r.txs).padStart(6)} ${String(r.energy / BigInt(r.n)).padStart(15)} ${trx(r.burned, r.n).padStart(19)} ${trx(r.sweepBurned, r.n).padStart(19)}`);
    }
    const topTron = Math.max(...TRON_SIZES);
    const staked = tronRows.find((r) => r.n === topTron && r.strategy.includes("staked"));
    const burning = tronRows.find((r) => r.n === topTron && !r.strategy.includes("staked"));
    if (staked && burning) {
      console.log(`tron usdt sweep: ${trx(staked.sweepBurned, topTron)} TRX burned per sweep with staked energy at N=${topTron} (${trx(burning.sweepBurned, topTron)} burning); ` +
        `${trx(staked.burned, topTron)} TRX per payment in all (${trx(burning.burned, topTron)} burning)`);
    }
  }
  const top = Math.max(...SIZES);
  const b = baseline(top);
  const at = (strategy: string) => rows.find((r) => r.n === top && r.strategy === strategy);
  const line = (r: Row) => `${perPayment(r)} gas per payment at N=${top} (${(Number(perPayment(r)) / Number(perPayment(b!))).toFixed(2)}× one by one)`;
  const fresh = at("EIP-7702 batch sweep");
  const reused = at("EIP-7702 batch sweep, addresses reused");
  // the last line: the cheapest way the product settles an EVM token payment; the line before, the default
  if (b && fresh && reused) console.log(`evm token payment, a fresh address per checkout (the default): ${line(fresh)}`);
  const best = reused ?? fresh;
  if (b && best) console.log(`evm token payment: ${line(best)}`);
} finally {
  await teardown();
}
process.exit(0);
