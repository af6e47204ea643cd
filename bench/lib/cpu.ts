// CPU seconds spent by this process's descendants (the web server and the database it started),
// read from /proc: a cost per request that does not depend on what else the machine is doing,
// unlike req/s on a shared 2-core machine.
import { readdirSync, readFileSync } from "node:fs";

const CLK_TCK = 100; // USER_HZ on Linux

type Stat = { pid: number; ppid: number; ticks: number };

function readStat(pid: string): Stat | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    // fields after the parenthesised command name: state ppid … utime(14) stime(15)
    const rest = text.slice(text.lastIndexOf(")") + 2).split(" ");
    return { pid: Number(pid), ppid: Number(rest[1]), ticks: Number(rest[11]) + Number(rest[12]) };
  } catch {
    return null; // exited meanwhile
  }
}

/** CPU seconds (user + system) of all live descendants of `root` (default: this process), itself excluded. */
export function descendantsCpuSeconds(root = process.pid): number | null {
  let entries: string[];
  try { entries = readdirSync("/proc").filter((e) => /^\d+$/.test(e)); } catch { return null; }
  const stats = entries.map(readStat).filter((s): s is Stat => s !== null);
  const children = new Map<number, Stat[]>();
  for (const s of stats) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s]);
  let ticks = 0;
  const queue = [...(children.get(root) ?? [])];
  while (queue.length) {
    const s = queue.pop()!;
    ticks += s.ticks;
    queue.push(...(children.get(s.pid) ?? []));
  }
  return ticks / CLK_TCK;
}
