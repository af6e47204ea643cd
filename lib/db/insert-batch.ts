// Group commit for the hot one-statement writes (session create and its Idempotency-Key row):
// the writes that arrive while an earlier statement is at the database leave together as ONE
// multi-row statement — one parse/bind/execute, one commit, one WAL flush — instead of one
// statement each. Nothing waits for a batch to fill: with no statement in flight a write goes out
// at once, so a lone request pays nothing; under load the queue is what forms batches.
// One statement in flight per process, then, except when it is slow: a statement that waits (on
// a row lock of a concurrent duplicate key, say) must not hold up everyone behind it, so once
// every statement in flight has run SLOW_MS, the next batch takes another lane (up to LANES).
//
// A statement is atomic, so a batch either commits all its writes or none. When a batch of
// several fails (a duplicate Idempotency-Key inside it or against a committed key, a lock
// timeout, a deadlock between two batches), each of its writes is retried as a statement of its
// own, and every caller gets the answer of its own write: exactly what it would have got alone.
import { pool } from "./client";
import { statementName, type RowInsert } from "./row-insert";

/** One caller's write: rows of several tables, committed together (later rows' tables in CTEs first). */
export type Write = readonly RowInsert[];

/** Writes of one shape (the same statement texts, part by part): they can share a statement. */
type Group = { parts: { head: string; width: number }[]; texts: Map<number, string> };
type Pending = { write: Write; group: Group; resolve: () => void; reject: (e: unknown) => void };

/** statements at the database at once from this process, at most; the pool keeps the rest for reads */
const LANES = 4;
/** how long the newest statement in flight runs before the next batch may go out beside it */
const SLOW_MS = 20;
/** writes per statement (a session row and its key row take 38 of PostgreSQL's 65,535 parameters) */
const MAX_BATCH = 64;

const queue: Pending[] = [];
/** start times of the statements in flight, oldest first */
const inFlight: number[] = [];
let wake: NodeJS.Timeout | undefined;
const stats = { statements: 0, writes: 0, retriedAlone: 0 };

/** Commits `write` (its rows in one statement, possibly with other callers' writes of the same shape). */
export function insertTogether(write: Write): Promise<void> {
  return new Promise((resolve, reject) => {
    queue.push({ write, group: groupOf(write), resolve, reject });
    pump();
  });
}

/** Statements sent, writes in them, and writes retried alone after their batch failed (bench and tests). */
export function insertBatchStats(): Readonly<typeof stats> {
  return { ...stats };
}

// Keyed by the parts' texts, which rowInsert hands out as the same string objects per shape, so
// finding a write's group costs a Map lookup per part (no joined strings on the hot path).
type GroupTree = { group?: Group; next: Map<string, GroupTree> };
const groups: GroupTree = { next: new Map() };

function groupOf(write: Write): Group {
  let node = groups;
  for (const part of write) {
    let child = node.next.get(part.text);
    if (!child) node.next.set(part.text, (child = { next: new Map() }));
    node = child;
  }
  return (node.group ??= { parts: write.map((r) => ({ head: r.head, width: r.values.length })), texts: new Map() });
}

function pump(): void {
  while (queue.length > 0 && inFlight.length < LANES) {
    const newest = inFlight.at(-1);
    if (newest !== undefined) {
      const wait = newest + SLOW_MS - performance.now();
      if (wait > 0) {
        wake ??= setTimeout(() => { wake = undefined; pump(); }, Math.ceil(wait));
        return;
      }
    }
    const group = queue[0].group;
    const batch: Pending[] = [];
    for (let i = 0; i < queue.length && batch.length < MAX_BATCH;) {
      if (queue[i].group === group) batch.push(...queue.splice(i, 1));
      else i++;
    }
    const started = performance.now();
    inFlight.push(started);
    void send(batch).finally(() => {
      inFlight.splice(inFlight.indexOf(started), 1);
      pump();
    });
  }
}

async function send(batch: Pending[]): Promise<void> {
  try {
    await execute(batch[0].group, batch.map((p) => p.write));
    for (const p of batch) p.resolve();
  } catch (e) {
    if (batch.length === 1) {
      batch[0].reject(e);
      return;
    }
    stats.retriedAlone += batch.length;
    await Promise.all(batch.map((p) => execute(p.group, [p.write]).then(p.resolve, p.reject)));
  }
}

function execute(group: Group, writes: Write[]): Promise<unknown> {
  const text = statementText(group, writes.length);
  const values: unknown[] = [];
  // parameters part by part, each part's rows in order (statementText numbers them the same way)
  for (let part = 0; part < group.parts.length; part++) for (const w of writes) values.push(...w[part].values);
  stats.statements++;
  stats.writes += writes.length;
  return pool().query({ name: statementName(text), text, values });
}

/**
 * The statement for `rows` writes of this group: every part but the last in a data-modifying CTE,
 * the last as the main statement, each with a VALUES row per write. For one write it is the
 * write's own text (for two parts: `with w0 as (<first>) <second>`).
 */
function statementText(group: Group, rows: number): string {
  let text = group.texts.get(rows);
  if (text) return text;
  let next = 1;
  const parts = group.parts.map(({ head, width }) => {
    const tuples: string[] = [];
    for (let row = 0; row < rows; row++) {
      tuples.push(`(${Array.from({ length: width }, () => `$${next++}`).join(", ")})`);
    }
    return `${head} values ${tuples.join(", ")}`;
  });
  const last = parts.pop()!;
  text = parts.length ? `with ${parts.map((p, i) => `w${i} as (${p})`).join(", ")} ${last}` : last;
  group.texts.set(rows, text);
  return text;
}
