// The worker process: one runner per enabled network (lib/worker/network-runner: its family's watcher from
// lib/chains/registry, then reconcile and settle, pay out, solvency, in that order), the expiry sweep and
// webhook deliveries (graphile-worker). Several workers may run; per-network fenced leases make exactly one
// process do each network's step at a time, the expiry sweep runs everywhere (SKIP LOCKED).
import { pathToFileURL } from "node:url";
import { config } from "@/lib/config";
import { loadMnemonic } from "@/lib/keys/mnemonic";
import { refillKeyPools } from "@/lib/keys/pool";
import { ensureKeyRoots } from "@/lib/keys/roots";
import { familyOf, takesCustodialCheckouts, watchedChains } from "@/lib/chains/registry";
import { expireDue } from "@/lib/checkout/expire";
import { expireNewPayments } from "@/lib/payments/expire";
import { closeDb, databaseUrl } from "@/lib/db/client";
import { runMigrations } from "@/lib/db/migrate";
import { untilDatabaseReady } from "@/lib/db/until-ready";
import { purgeExpired } from "@/lib/api/idempotency";
import { forwardingTick } from "@/lib/forwarding/tick";
import { withdrawalTick } from "@/lib/withdrawals/tick";
import { solvencyTick } from "@/lib/ledger/solvency";
import { logger } from "@/lib/log/logger";
import { beat, retire, workerId } from "@/lib/worker/heartbeat";
import { defaultLeases } from "@/lib/worker/leases";
import { warmRepriceQuotes } from "@/lib/payments/reprice";
import { every, type Loop } from "@/lib/worker/loop";
import { runNetwork } from "@/lib/worker/network-runner";
import { startWebhookRunner } from "@/lib/webhooks/runner";

const log = logger.child({ workerId });

export async function runWorker(): Promise<{ stop: () => Promise<void> }> {
  // the start-up steps that need the database wait for it (a PostgreSQL restart, a server still starting)
  const boot = <T>(what: string, step: () => Promise<T>) => untilDatabaseReady(what, step, log);
  await boot("migrations", () => runMigrations(databaseUrl()));
  const mnemonic = loadMnemonic(config());
  await boot("key roots", () => ensureKeyRoots(mnemonic));
  // per-network leases: rows with a fencing epoch (lib/worker/leases), no connection held
  const leases = defaultLeases();
  const loops: Loop[] = [];
  const chains = watchedChains();
  for (const chain of chains) {
    const family = familyOf(chain);
    // one runner per network, in order: watch → reconcile and settle → pay out → solvency. Families
    // whose checkouts are paid to receivers of ours forward them (Solana: its seed-004 payments);
    // direct checkouts (Solana Pay) settle their groups as the watcher records them. Families with
    // deposit addresses of ours pay out and check solvency whatever their checkouts do.
    const forwards = takesCustodialCheckouts(family);
    loops.push(runNetwork(chain, family.watcher(chain), {
      leases,
      // tell /healthz and other workers at once when this process starts or stops watching a network
      onLease: () => beat(leases.names()),
      steps: [
        // reconciles our sent transactions, then forwards confirmed checkouts (its own fenced lease)
        ...(forwards ? [{ name: "settle", everyMs: 2000, run: () => forwardingTick(chain, { leases }) }] : []),
        ...(family.depositAddresses ? [
          // pays queued withdrawals and sweeps from the hot wallet (its own fenced lease)
          { name: "payout", everyMs: 2000, run: () => withdrawalTick(chain, { leases }) },
          // compares on-chain holdings with what merchants are owed; a shortfall pauses payouts
          { name: "solvency", everyMs: config().solvencyIntervalMs, run: () => solvencyTick(chain) },
        ] : []),
      ],
    }));
  }
  loops.push(every("expire", 1000, async () => { await expireDue(); await expireNewPayments(); }));
  // FLOATING re-pricing reads these quotes inside the watcher's commit, which never waits on HTTP
  loops.push(every("rates", 5000, () => warmRepriceQuotes()));
  // hardened-derivation families' deposit addresses, derived ahead for the web process (lib/keys/pool)
  loops.push(every("key-pool", 2000, async () => { await refillKeyPools(mnemonic); }));
  loops.push(every("heartbeat", 5000, () => beat(leases.names())));
  loops.push(every("idempotency-purge", 3600_000, async () => { await purgeExpired(); }));
  const webhooks = await boot("webhook runner", () => startWebhookRunner(databaseUrl()));
  await boot("heartbeat", () => beat([]));
  log.info({ networks: chains.map((c) => c.key) }, "worker started");

  return {
    stop: async () => {
      await Promise.all([...loops.map((l) => l.stop()), webhooks.stop()]);
      await retire().catch(() => {});
      await leases.close();
      await closeDb();
      log.info("worker stopped");
    },
  };
}

// Run when executed directly (npm run worker / the launcher), not when imported by tests.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // Handlers first: a stop signal during start-up still ends in an orderly stop (heartbeat retired).
  const starting = runWorker();
  let stopping = false;
  for (const sig of ["SIGINT", "SIGTERM"] as const) {
    process.on(sig, async () => {
      if (stopping) return;
      stopping = true;
      const w = await starting.catch(() => undefined);
      await w?.stop();
      process.exit(0);
    });
  }
  await starting;
}
