// Per-network work leases in PostgreSQL (worker_leases): one owner at a time for a time-to-live
// that the owner renews in the background while it lives; a lease whose owner stopped renewing
// (process died, event loop stalled) is taken over after it expires, and every take-over
// increments the lease's fencing epoch. No transaction and no connection is held while a lease is
// held: a pass runs inside runFenced(), and the writes that matter (signing and recording an
// outbound transaction, a pass's status transitions) call checkFence(tx) in their own transaction,
// which locks the lease row and refuses when this process no longer holds that epoch.
import { AsyncLocalStorage } from "node:async_hooks";
import { sql } from "drizzle-orm";
import type { Executor } from "@/lib/events/emit";
import { db } from "@/lib/db/client";
import { logger } from "@/lib/log/logger";
import { workerId } from "./heartbeat";

/** How long a lease lasts after its last renewal (TOLLGATE_LEASE_TTL_MS, default 30 s). */
export function leaseTtlMs(): number {
  const v = Number(process.env.TOLLGATE_LEASE_TTL_MS ?? 30_000);
  return Number.isInteger(v) && v >= 1000 ? v : 30_000;
}

export type Fence = { name: string; owner: string; epoch: bigint };

/** The lease was taken over (or expired) while this process worked under it. */
export class LeaseLostError extends Error {
  constructor(readonly fence: Fence) {
    super(`lease ${fence.name} (epoch ${fence.epoch}) is no longer held by this worker`);
  }
}

let instances = 0;

export class Leases {
  private held = new Map<string, bigint>();
  private timer: NodeJS.Timeout | undefined;
  readonly owner: string;

  constructor(owner?: string) {
    // one owner per instance: two Leases in one process (tests) compete like two workers
    this.owner = owner ?? `${workerId}#${++instances}`;
  }

  /**
   * True when this instance holds the lease `name` now: renews it when held, takes it when free or
   * expired (a take-over increments the epoch). False when another owner holds it.
   */
  async tryAcquire(name: string): Promise<boolean> {
    const ttl = leaseTtlMs();
    const mine = this.held.get(name);
    if (mine !== undefined) {
      const renewed = await db().execute<{ epoch: string }>(sql`
        update worker_leases set expires_at = now() + ${ttl} * interval '1 millisecond'
        where name = ${name} and owner = ${this.owner} and epoch = ${mine}
        returning epoch`);
      if (renewed.rows.length) return true;
      this.held.delete(name);
      logger.warn({ lease: name, epoch: mine.toString() }, "lease lost: another worker took it over");
    }
    const { rows } = await db().execute<{ epoch: string; owner: string }>(sql`
      insert into worker_leases (name, owner, epoch, expires_at)
      values (${name}, ${this.owner}, 1, now() + ${ttl} * interval '1 millisecond')
      on conflict (name) do update
        set owner = excluded.owner, epoch = worker_leases.epoch + 1, expires_at = excluded.expires_at, acquired_at = now()
        where worker_leases.expires_at < now()
      returning epoch, owner`);
    if (!rows[0]) return false;
    this.held.set(name, BigInt(rows[0].epoch));
    this.startRenewing(ttl);
    return true;
  }

  has(name: string): boolean {
    return this.held.has(name);
  }

  names(): string[] {
    return [...this.held.keys()];
  }

  /** The fence of a held lease (throws when not held). */
  fence(name: string): Fence {
    const epoch = this.held.get(name);
    if (epoch === undefined) throw new Error(`lease ${name} is not held`);
    return { name, owner: this.owner, epoch };
  }

  /**
   * Runs one pass `fn` under the lease `name` when this instance can take it (else returns
   * undefined without running it): checkFence() inside refuses once the lease is lost. The lease is
   * renewed while the pass runs and given up after it (recording the finished pass), so another
   * worker — or a test keeping the worker out — can take the next turn.
   */
  async run<T>(name: string, fn: () => Promise<T>): Promise<T | undefined> {
    if (!(await this.tryAcquire(name))) return undefined;
    const fence = this.fence(name);
    try {
      const out = await runFenced(fence, fn);
      await db().execute(sql`update worker_leases set last_pass_at = now() where name = ${name} and owner = ${fence.owner} and epoch = ${fence.epoch}`);
      return out;
    } finally {
      await this.release(name);
    }
  }

  /** Gives up the lease `name` if this instance holds it. */
  async release(name: string): Promise<void> {
    const epoch = this.held.get(name);
    if (epoch === undefined) return;
    this.held.delete(name);
    await db().execute(sql`update worker_leases set expires_at = now() - interval '1 millisecond'
      where name = ${name} and owner = ${this.owner} and epoch = ${epoch}`);
  }

  private startRenewing(ttl: number): void {
    if (this.timer) return;
    // renewed a few times per TTL, so a live process keeps its leases between passes
    this.timer = setInterval(() => {
      for (const name of this.names()) this.tryAcquire(name).catch((err) => logger.warn({ lease: name, err: String(err) }, "lease renewal failed"));
    }, Math.max(250, Math.floor(ttl / 3)));
    this.timer.unref();
  }

  /** Gives up every lease this instance holds (their next taker increments the epoch). */
  async close(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    const names = this.names();
    this.held.clear();
    if (names.length) {
      await db().execute(sql`update worker_leases set expires_at = now() - interval '1 millisecond'
        where owner = ${this.owner} and name in (${sql.join(names.map((n) => sql`${n}`), sql`, `)})`).catch(() => {});
    }
  }
}

const ambientFence = new AsyncLocalStorage<Fence>();

/** Runs `fn` with `fence` as the ambient lease: checkFence() inside checks it. */
export function runFenced<T>(fence: Fence, fn: () => Promise<T>): Promise<T> {
  return ambientFence.run(fence, fn);
}

export function currentFence(): Fence | undefined {
  return ambientFence.getStore();
}

/**
 * Inside a transaction about to write something that matters: when running under a lease, locks
 * the lease row (FOR SHARE: a take-over waits for this transaction, and this transaction sees a
 * committed take-over) and throws LeaseLostError unless this process still holds that epoch
 * unexpired. Outside a lease (web requests, tests that keep the worker out themselves) a no-op.
 */
export async function checkFence(tx: Executor): Promise<void> {
  const f = currentFence();
  if (!f) return;
  const { rows } = await tx.execute<{ ok: boolean }>(sql`
    select (owner = ${f.owner} and epoch = ${f.epoch} and expires_at > now()) as ok
    from worker_leases where name = ${f.name} for share`);
  if (!rows[0]?.ok) throw new LeaseLostError(f);
}

let processLeases: Leases | undefined;
/** This process's leases (the worker's; ticks called without their own use it). */
export function defaultLeases(): Leases {
  processLeases ??= new Leases(workerId);
  return processLeases;
}

/** A sender guard (runs in the signing transaction under the sender lock) that checks the fence first. */
export function fenced<T extends Executor>(guard?: (tx: T) => Promise<boolean>): (tx: T) => Promise<boolean> {
  return async (tx) => {
    await checkFence(tx);
    return guard ? guard(tx) : true;
  };
}
