// The simulation runner (issue 19): one world, then `trials` seeded trials, `concurrency` at a time;
// each trial runs its scenario, is driven to quiescence and checked. Prints every violating trial
// with the command that replays it, then faults by kind, operations by kind, wall time, and the
// two last lines `trials: N` and `violations: V`.
import { checkGlobal, checkTrial, quiesce } from "./check";
import { openBanks, retrying, runTrial, type Currency, type SimContext, type TrialRecord } from "./trial";
import { startReceiver } from "./webhook-receiver";
import { startWorld, type World } from "./world";

export type SimOptions = {
  trials: number;
  seed: number;
  /** run only this trial (a replay) */
  only?: number;
  concurrency: number;
  settleMs?: number;
  adminUrl?: string;
  log?: (m: string) => void;
  /** keep the world's data directory and logs */
  keep?: boolean;
  /** aborted: the world is stopped at once and the process exits (130) */
  signal?: AbortSignal;
};

export type TrialOutcome = { trial: number; violations: string[]; ms: number; scenarioMs?: number; settleMs?: number; record?: TrialRecord };
export type SimResult = {
  trials: number;
  violations: number;
  outcomes: TrialOutcome[];
  faults: Record<string, number>;
  ops: Record<string, number>;
  webhookAnswers: Record<string, number>;
  wallMs: number;
  global: string[];
};

export type Sim = { world: World; ctx: SimContext; runOne: (trial: number) => Promise<TrialOutcome>; stop: () => Promise<void> };

/** Starts the world and everything a trial needs. */
export async function startSim(opts: { seed: number; settleMs?: number; adminUrl?: string; log?: (m: string) => void; keep?: boolean }): Promise<Sim> {
  const log = opts.log ?? (() => {});
  const world = await startWorld({ seed: opts.seed, log, adminUrl: opts.adminUrl, keep: opts.keep });
  try {
    const receiver = await startReceiver({ timeoutMs: 1500 });
    const banks = await openBanks(world);
    log("[sim] banks open");
    const cur = await fetch(`${world.baseUrl}/v1/currencies`).then((r) => r.json()) as { data: Currency[] } | Currency[];
    const currencies = (Array.isArray(cur) ? cur : cur.data).map((c) => ({ code: c.code, network: c.network, contract: c.contract, decimals: c.decimals }));
    const ctx: SimContext = { world, receiver, banks, currencies, ops: {}, payers: new Set(), utxoPayerTxids: new Set(), settleMs: opts.settleMs ?? 60_000 };
    const runOne = async (trial: number): Promise<TrialOutcome> => {
      const t0 = Date.now();
      const rec = await runTrial(ctx, opts.seed, trial);
      const scenarioMs = Date.now() - t0;
      const left = await quiesce(ctx, rec);
      const settleMs = Date.now() - t0 - scenarioMs;
      const violations = [...rec.violations, ...(await checkTrial(ctx, rec, left))];
      return { trial, violations, ms: Date.now() - t0, scenarioMs, settleMs, record: rec };
    };
    return { world, ctx, runOne, stop: async () => { await receiver.stop(); await world.stop(); } };
  } catch (e) {
    await world.stop();
    throw e;
  }
}

/**
 * The instance-wide checks, retried through transient failures (a reorg can move a chain's head
 * below the block a read asked for); one that still fails is reported as a violation, not a crash.
 */
async function globalChecks(): Promise<string[]> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<string[]>((r) => { timer = setTimeout(() => r([`the instance-wide checks did not finish within ${GLOBAL_CHECKS_MS / 1000} s`]), GLOBAL_CHECKS_MS); });
  try {
    return await Promise.race([retrying(() => checkGlobal()), bound]);
  } catch (e) {
    return [`the instance-wide checks could not run: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`];
  } finally {
    clearTimeout(timer);
  }
}
/** a run always ends with its report: the instance-wide checks take seconds, a hang is reported as a violation */
const GLOBAL_CHECKS_MS = 180_000;

export async function runSim(opts: SimOptions): Promise<SimResult> {
  const log = opts.log ?? ((m: string) => console.log(m));
  const t0 = Date.now();
  log(`[sim] seed ${opts.seed}: starting the world (PostgreSQL, anvil ethereum + polygon, bcoin and Litecoin Core regtest, behind fault proxies, web, worker)…`);
  const sim = await startSim({ seed: opts.seed, settleMs: opts.settleMs, adminUrl: opts.adminUrl, log, keep: opts.keep });
  const outcomes: TrialOutcome[] = [];
  const global: string[] = [];
  opts.signal?.addEventListener("abort", () => {
    // what the finished trials found, with the faults and operations so far, before the world goes
    log("[sim] interrupted: the report of the trials finished so far, then the world stops");
    const violations = outcomes.reduce((a, o) => a + o.violations.length, 0) + global.length;
    report({ trials: outcomes.length, violations, outcomes, faults: sim.world.faults(), ops: { ...sim.ctx.ops },
      webhookAnswers: { ...sim.ctx.receiver.stats }, wallMs: Date.now() - t0, global }, log);
    void sim.stop().finally(() => process.exit(130));
  });
  log(`[sim] world up in ${((Date.now() - t0) / 1000).toFixed(1)} s; logs in ${sim.world.logDir}`);
  const t1 = Date.now();
  let faults: Record<string, number> = {};
  let ops: Record<string, number> = {};
  let webhookAnswers: Record<string, number> = {};
  try {
    const queue = opts.only !== undefined ? [opts.only] : Array.from({ length: opts.trials }, (_, i) => i);
    let next = 0;
    let done = 0;
    const lane = async () => {
      while (next < queue.length) {
        const trial = queue[next++];
        let o: TrialOutcome;
        try {
          o = await sim.runOne(trial);
        } catch (e) {
          const cause = (e as { cause?: unknown })?.cause;
          o = { trial, violations: [`the trial could not run: ${e instanceof Error ? e.message : String(e)}${cause ? ` (cause: ${cause instanceof Error ? cause.message : String(cause)})` : ""}`], ms: 0 };
        }
        outcomes.push({ ...o, record: undefined });
        done++;
        if (o.violations.length) {
          log(`[sim] trial ${trial} (seed ${opts.seed}): ${o.violations.length} violation(s)`);
          for (const v of o.violations) log(`    - ${v}`);
          log(`    replay: npm run sim -- --trials 1 --seed ${opts.seed} --trial ${trial}`);
        }
        if (done % 25 === 0 || done === queue.length) {
          const rate = done / ((Date.now() - t1) / 60_000);
          // where the last trials' time went: a run that slows down shows which part grows
          const recent = outcomes.slice(-25);
          const med = (f: (o: TrialOutcome) => number) => `${(median(recent.map(f)) / 1000).toFixed(1)} s`;
          log(`[sim] ${done}/${queue.length} trials, ${rate.toFixed(1)} trials/min; last ${recent.length}: median ${med((o) => o.ms)} ` +
            `(scenario ${med((o) => o.scenarioMs ?? 0)}, settling ${med((o) => o.settleMs ?? 0)}, checks ${med((o) => o.ms - (o.scenarioMs ?? 0) - (o.settleMs ?? 0))})`);
          if (done % 100 === 0) global.push(...(await globalChecks()).map((g) => `after ${done} trials: ${g}`));
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(opts.concurrency, queue.length) }, lane));
    log("[sim] the trials are done: the instance-wide checks, then the world stops");
    global.push(...(await globalChecks()));
    for (const g of global) log(`[sim] global violation: ${g}`);
  } finally {
    faults = sim.world.faults();
    ops = { ...sim.ctx.ops };
    webhookAnswers = { ...sim.ctx.receiver.stats };
    await sim.stop();
  }
  const violations = outcomes.reduce((a, o) => a + o.violations.length, 0) + global.length;
  return { trials: outcomes.length, violations, outcomes, faults, ops, webhookAnswers, wallMs: Date.now() - t0, global };
}

export function report(r: SimResult, log: (m: string) => void = (m) => console.log(m)): void {
  const line = (o: Record<string, number>) => Object.entries(o).sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `${k}=${n}`).join(" ") || "none";
  log(`faults injected: ${line(r.faults)}`);
  log(`webhook answers: ${line(r.webhookAnswers)}`);
  log(`operations: ${line(r.ops)}`);
  const ran = r.outcomes.filter((o) => o.ms > 0);
  const sec = (f: (o: TrialOutcome) => number) => (ran.length ? (median(ran.map(f)) / 1000).toFixed(1) : "–");
  log(`wall time: ${(r.wallMs / 1000).toFixed(1)} s (${(r.trials / (r.wallMs / 60_000)).toFixed(1)} trials/min; median trial ${sec((o) => o.ms)} s, of which the scenario ${sec((o) => o.scenarioMs ?? 0)} s)`);
  log(`trials: ${r.trials}`);
  log(`violations: ${r.violations}`);
}

function median(xs: number[]): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
