// The worker process: one chain watcher per enabled network (its family's, from lib/chains/registry), forwarding and the expiry sweep
// and webhook deliveries (graphile-worker), and withdrawals. Several workers may run; per-network leases make
// exactly one watcher active per network, the expiry sweep runs everywhere (SKIP LOCKED).
import { pathToFileURL } from "node:url";
import { config } from "@/lib/config";
import { loadMnemonic } from "@/lib/keys/mnemonic";
import { ensureKeyRoots } from "@/lib/keys/roots";
import { familyOf, watchedChains } from "@/lib/chains/registry";
import { expireDue } from "@/lib/checkout/expire";
import { expireNewPayments } from "@/lib/payments/expire";
import { closeDb, databaseUrl } from "@/lib/db/client";
import { runMigrations } from "@/lib/db/migrate";
import { purgeExpired } from "@/lib/api/idempotency";
import { forwardingTick } from "@/lib/forwarding/tick";
import { withdrawalTick } from "@/lib/withdrawals/tick";
import { solvencyTick } from "@/lib/ledger/solvency";
import { logger } from "@/lib/log/logger";
import { beat, retire, workerId } from "@/lib/worker/heartbeat";
import { defaultLeases } from "@/lib/worker/leases";
import { warmRepriceQuotes } from "@/lib/payments/reprice";
import { every, type Loop } from "@/lib/worker/loop";
import { startWebhookRunner } from "@/lib/webhooks/runner";

const log = logger.child({ workerId });

export async function runWorker(): Promise<{ stop: () => Promise<void> }> {
  await runMigrations(databaseUrl());
  await ensureKeyRoots(loadMnemonic(config()));
  // per-network leases: rows with a fencing epoch (lib/worker/leases), no connection held
  const leases = defaultLeases();
  const loops: Loop[] = [];
  const chains = watchedChains();
  for (const chain of chains) {
    // each family starts its own watcher (EVM and Tron: the log scanner; Solana: references);
    // tell /healthz and other workers at once when this process starts or stops watching a network
    loops.push(familyOf(chain).startWatcher(chain, { leases, onLease: () => beat(leases.names()) }));
  }
  // families that hold custody forward deposits and pay out; direct ones (Solana) pay the merchant's wallet: nothing to forward
  for (const chain of chains.filter((c) => familyOf(c).settlement === "forward")) {
    // forwards confirmed checkouts (its own per-network lease inside)
    loops.push(every(`forward:${chain.key}`, 2000, () => forwardingTick(chain, { leases })));
    // pays queued withdrawals from the hot wallet (its own per-network lease inside)
    loops.push(every(`withdraw:${chain.key}`, 2000, () => withdrawalTick(chain, { leases })));
    // compares on-chain holdings with what merchants are owed; a shortfall pauses payouts
    loops.push(every(`solvency:${chain.key}`, config().solvencyIntervalMs, async () => { await solvencyTick(chain); }));
  }
  loops.push(every("expire", 1000, async () => { await expireDue(); await expireNewPayments(); }));
  // FLOATING re-pricing reads these quotes inside the watcher's commit, which never waits on HTTP
  loops.push(every("rates", 5000, () => warmRepriceQuotes()));
  loops.push(every("heartbeat", 5000, () => beat(leases.names())));
  loops.push(every("idempotency-purge", 3600_000, async () => { await purgeExpired(); }));
  const webhooks = await startWebhookRunner(databaseUrl());
  await beat([]);
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
