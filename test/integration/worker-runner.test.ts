// Issue 15, "the worker can hang": per-network work runs under fenced lease rows, never a
// transaction held across RPC calls; a worker that lost its lease cannot sign; and a worker with
// ten networks on the default pool keeps watching and passing.
import { spawn } from "node:child_process";
import { sql } from "drizzle-orm";
import { describe, expect, inject, it } from "vitest";
import { outboundTxs } from "@/db/schema";
import { db } from "@/lib/db/client";
import { HOT_WALLET_INDEX } from "@/lib/keys/derive";
import { evmRail } from "@/lib/chains/evm/rail";
import { checkFence, LeaseLostError, Leases, runFenced } from "@/lib/worker/leases";
import { ethereum, freshAddress, mnemonic } from "./helpers/forwarding-fixtures";
import { paymentMerchant } from "./helpers/payments";
import { waitFor } from "./helpers/watcher";

const env = inject("testEnv");

async function leaseRow(name: string) {
  const { rows } = await db().execute<{ owner: string; epoch: string; expired: boolean }>(
    sql`select owner, epoch::text, expires_at < now() as expired from worker_leases where name = ${name}`);
  return rows[0];
}

describe("fenced leases", () => {
  it("one holder at a time; a take-over after expiry bumps the epoch and the old holder can no longer sign", async () => {
    const m = await paymentMerchant();
    const name = `test:fence:${Math.random()}`;
    const a = new Leases();
    const b = new Leases();
    try {
      expect(await a.tryAcquire(name)).toBe(true);
      expect(await b.tryAcquire(name)).toBe(false);
      const old = a.fence(name);
      // a stalls past its lease (no renewal): the row expires, b takes over with the next epoch
      await db().execute(sql`update worker_leases set expires_at = now() - interval '1 second' where name = ${name}`);
      expect(await b.tryAcquire(name)).toBe(true);
      expect(BigInt((await leaseRow(name)).epoch)).toBe(old.epoch + 1n);

      // the old holder, still mid-pass, tries to sign a payout: refused before a nonce is taken
      const before = await db().select().from(outboundTxs).where(sql`${outboundTxs.merchantId} = ${m.merchantId}`);
      const attempt = runFenced(old, () => evmRail.signAndRecord(ethereum, evmRail.signerAt(mnemonic, HOT_WALLET_INDEX), {
        merchantId: m.merchantId, checkoutId: null, purpose: "gas_funding", to: freshAddress(), token: null, amount: 1n, gas: 21_000n,
        fees: { maxFeePerGas: 1n, maxPriorityFeePerGas: 1n },
      }));
      await expect(attempt).rejects.toBeInstanceOf(LeaseLostError);
      expect(await db().select().from(outboundTxs).where(sql`${outboundTxs.merchantId} = ${m.merchantId}`)).toEqual(before);
      // the new holder's fence passes; the old one's fails (the check every signing transaction makes)
      await db().transaction((tx) => runFenced(b.fence(name), () => checkFence(tx)));
      await expect(db().transaction((tx) => runFenced(old, () => checkFence(tx)))).rejects.toBeInstanceOf(LeaseLostError);
      // a renewal by the old holder notices and gives the lease up
      expect(await a.tryAcquire(name)).toBe(false);
      expect(a.has(name)).toBe(false);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it("a pass (run) gives its lease up when done, so another worker can take the next turn", async () => {
    const name = `test:pass:${Math.random()}`;
    const a = new Leases();
    const b = new Leases();
    try {
      let ran = 0;
      await a.run(name, async () => {
        ran++;
        expect(await b.run(name, async () => { ran += 10; })).toBeUndefined(); // held by a meanwhile
      });
      expect(ran).toBe(1);
      expect(await b.run(name, async () => { ran += 100; })).toBeUndefined();
      expect(ran).toBe(101);
      expect(BigInt((await leaseRow(name)).epoch)).toBe(2n);
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe("a worker with ten networks on the default pool", () => {
  it("keeps watching, forwarding and paying on every network", async () => {
    const childEnv = JSON.parse(env.childEnvJson) as Record<string, string | undefined>;
    // the live EVM networks get chains of their own with their mainnet chain ids (the watcher refuses a node of another chain)
    const { startAnvil } = await import("@/lib/devnet/anvil-process");
    const { freePorts } = await import("@/lib/devnet/evm");
    // (bsc:test too: on a chain of the stack it would record the stack's deposits a second time, as BNB)
    const ports = await freePorts(4);
    const mainnets = await Promise.all([["ethereum", 1], ["polygon", 137], ["bsc", 56], ["bsc-test", 97]].map(([label, chainId], i) =>
      startAnvil({ label: `live-${label}`, port: ports[i], chainId: chainId as number, blockTimeSeconds: 1 })));
    // live mode enables the live networks too: ethereum, polygon, bsc, tron and solana, live and test
    // = ten, all on the devnet's chains; nothing sets the pool size
    const tenNetworks: Record<string, string | undefined> = {
      ...childEnv,
      TOLLGATE_SERVICE: "worker",
      TOLLGATE_MODE: "live",
      TOLLGATE_DEVNET: "1",
      TOLLGATE_MNEMONIC: mnemonic,
      DATABASE_POOL_SIZE: undefined,
      DATABASE_POOL_MIN: undefined,
      ETHEREUM_RPC_URL: mainnets[0].rpcUrl,
      POLYGON_RPC_URL: mainnets[1].rpcUrl,
      BSC_RPC_URL: mainnets[2].rpcUrl,
      BSC_TEST_RPC_URL: mainnets[3].rpcUrl,
      BSC_TEST_CHAIN_ID: "97",
      BAHAMUT_TEST_ENABLED: "0", // the stack's worker watches it
      TON_TEST_ENABLED: "0", // the same
      BITCOIN_TEST_ENABLED: "0", // the same
      LITECOIN_TEST_ENABLED: "0", // the same
      TRON_RPC_URL: env.rpcTron,
      TRON_SENDER: "jsonrpc",
      SOLANA_RPC_URL: env.rpcSolana,
      LOG_LEVEL: "warn",
    };
    for (const k of Object.keys(tenNetworks)) if (tenNetworks[k] === undefined) delete tenNetworks[k];
    const { loadConfig } = await import("@/lib/config");
    const nets = loadConfig(tenNetworks).networks.filter((c) => c.enabled);
    expect(nets.map((c) => c.key).sort()).toEqual([
      "bsc", "bsc:test", "ethereum", "ethereum:test", "polygon", "polygon:test", "solana", "solana:test", "tron", "tron:test",
    ]);
    const stderr: string[] = [];
    const proc = spawn(process.execPath, ["--import", "tsx", "workers/index.ts"], {
      env: tenNetworks as unknown as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"],
    });
    // its log (JSON lines on stdout) and anything on stderr
    proc.stdout.on("data", (d: Buffer) => stderr.push(d.toString()));
    proc.stderr.on("data", (d: Buffer) => stderr.push(d.toString()));
    let exited = false;
    proc.on("exit", () => { exited = true; });
    // the live networks are this worker's alone (the stack's worker runs in test mode)
    const live = ["ethereum", "polygon", "bsc", "tron"];
    const passAge = async () => {
      const { rows } = await db().execute<{ name: string; age: number }>(sql`
        select name, extract(epoch from now() - last_pass_at)::float8 as age from worker_leases
        where name in (${sql.join(live.flatMap((n) => [sql`${`forward:${n}`}`, sql`${`withdraw:${n}`}`]), sql`, `)})`);
      return new Map(rows.map((r) => [r.name, r.age]));
    };
    const checkpoints = async () => {
      const { rows } = await db().execute<{ network: string; head: string }>(sql`
        select network, head_number::text as head from network_status where livemode and network in ('ethereum', 'polygon', 'bsc', 'tron')`);
      return new Map(rows.map((r) => [r.network, BigInt(r.head)]));
    };
    try {
      // every live network's forwarding and withdrawal passes complete, again and again
      await waitFor("passes on every live network", async () => (await passAge()).size === live.length * 2, 60_000, 500)
        .catch((e: Error) => { throw new Error(`${e.message}; worker log: ${stderr.join("").slice(-3000)}`); });
      const first = await checkpoints();
      expect([...first.keys()].sort()).toEqual([...live].sort());
      await new Promise((r) => setTimeout(r, 15_000)); // well past the pool's acquisition timeout
      expect(exited, stderr.join("").slice(-2000)).toBe(false);
      const ages = await passAge();
      for (const [name, age] of ages) expect(age, `${name}: last pass ${age}s ago`).toBeLessThan(8);
      const later = await checkpoints();
      for (const n of live) expect(later.get(n)!, `${n} checkpoint`).toBeGreaterThan(first.get(n)!);
      // no query waited for a pool connection in vain
      expect(stderr.join("")).not.toMatch(/timeout exceeded when trying to connect/i);
    } finally {
      proc.kill("SIGTERM");
      await new Promise((r) => (exited ? r(null) : proc.on("exit", r)));
      await Promise.all(mainnets.map((a) => a.stop()));
    }
  }, 120_000);
});
