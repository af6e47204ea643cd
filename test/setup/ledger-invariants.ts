// After every integration test file (DOMAIN.md "Ledger"): the ledger balances — each account row
// equals the sum of its entries, nothing the instance owes a merchant is below zero — and, on the
// stack's own database, the instance stays solvent against the devnet chains: on-chain holdings
// (hot wallet + deposit addresses) cover what merchants are owed.
import { afterAll, expect, inject } from "vitest";
import { loadConfig } from "@/lib/config";
import { ledgerProblems } from "@/lib/ledger/invariants";
import { measureSolvency } from "@/lib/ledger/solvency";

afterAll(async () => {
  // files that ran without touching the database never opened a pool: nothing to check
  const { db } = await import("@/lib/db/client");
  const { pgError } = await import("@/lib/db/errors");
  const env = inject("testEnv");
  try {
    expect(await ledgerProblems(db())).toEqual([]);
  } catch (e) {
    // a file that made a database of its own may have dropped it already
    if (pgError(e)?.code === "3D000" && process.env.DATABASE_URL !== env.databaseUrl) return;
    throw e;
  }
  if (process.env.DATABASE_URL !== env.databaseUrl) return; // a file that switched to a database of its own, with chains of its own
  const childEnv = JSON.parse(env.childEnvJson) as Record<string, string | undefined>;
  const chains = loadConfig(childEnv).networks.filter((c) => c.enabled && !c.livemode && (c.family === "evm" || c.family === "tron"));
  for (const chain of chains) {
    const s = await measureSolvency(chain);
    expect(s?.shortfalls ?? [], `solvency on ${chain.key}`).toEqual([]);
  }
}, 60_000);
