// CPU seconds spent by this process's descendants (the web server and the database it started),
// read from /proc: a cost per request that does not depend on what else the machine is doing,
// unlike req/s on a shared 2-core machine.
import { readdirSync, readFileSync } from "node:fs";

const CLK_TCK = 100; // USER_HZ on Linux

type Stat = { pid: number; ppid: number; ticks: number; comm: string };

function readStat(pid: string): Stat | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    // fields after the parenthesised command name: state ppid … utime(14) stime(15)
    const rest = text.slice(text.lastIndexOf(")") + 2).split(" ");
    const comm = text.slice(text.indexOf("(") + 1, text.lastIndexOf(")"));
    return { pid: Number(pid), ppid: Number(rest[1]), ticks: Number(rest[11]) + Number(rest[12]), comm };
  } catch {
    return null; // exited meanwhile
  }
}

/** CPU seconds (user + system) of all live descendants of `root` (default: this process), itself excluded. */
export function descendantsCpuSeconds(root = process.pid): number | null {
  const split = descendantsCpuSplit(root);
  return split && split.database + split.other;
}

/** The same, split into the database's processes (postgres) and the rest (the web server). */
export function descendantsCpuSplit(root = process.pid): { database: number; other: number } | null {
  let entries: string[];
  try { entries = readdirSync("/proc").filter((e) => /^\d+$/.test(e)); } catch { return null; }
  const stats = entries.map(readStat).filter((s): s is Stat => s !== null);
  const children = new Map<number, Stat[]>();
  for (const s of stats) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s]);
  const ticks = { database: 0, other: 0 };
  const queue = [...(children.get(root) ?? [])];
  while (queue.length) {
    const s = queue.pop()!;
    ticks[s.comm.startsWith("postgres") ? "database" : "other"] += s.ticks;
    queue.push(...(children.get(s.pid) ?? []));
  }
  return { database: ticks.database / CLK_TCK, other: ticks.other / CLK_TCK };
}
