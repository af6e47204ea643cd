// The ledger's own invariants, checked by the tests after every integration test file (and
// available to an operator's script): every account row equals the sum of its entries, and no
// account the instance owes a merchant is below zero. Entries balance by construction (each one
// debits one account and credits another by the same amount).
import { sql } from "drizzle-orm";
import { db, type Db } from "@/lib/db/client";
import type { Executor } from "@/lib/events/emit";

/** Accounts the instance owes a merchant: never below zero. */
const OWED_KINDS = new Set(["available", "incoming", "reserved", "settling"]);

export type LedgerProblem = { accountId: string; problem: string };

export async function ledgerProblems(exec: Executor | Db = db()): Promise<LedgerProblem[]> {
  const { rows } = await exec.execute<{ id: string; debits: string; credits: string; kind: string; entry_debits: string; entry_credits: string }>(sql`
    select a.id::text, a.debits::text, a.credits::text, a.kind,
      coalesce((select sum(amount) from ledger_entries e where e.debit_account_id = a.id), 0)::text as entry_debits,
      coalesce((select sum(amount) from ledger_entries e where e.credit_account_id = a.id), 0)::text as entry_credits
    from ledger_accounts a`);
  const problems: LedgerProblem[] = [];
  for (const r of rows) {
    if (r.debits !== r.entry_debits || r.credits !== r.entry_credits) {
      problems.push({ accountId: r.id, problem: `row ${r.debits}/${r.credits} ≠ entries ${r.entry_debits}/${r.entry_credits}` });
    }
    if (OWED_KINDS.has(r.kind) && BigInt(r.credits) < BigInt(r.debits)) {
      problems.push({ accountId: r.id, problem: `${r.kind} below zero: ${BigInt(r.credits) - BigInt(r.debits)}` });
    }
  }
  return problems;
}
