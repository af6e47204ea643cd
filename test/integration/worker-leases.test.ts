// Several workers may run; the database (worker_leases rows) makes exactly one active per network and hands the
// network over when that worker goes away.
import { spawn } from "node:child_process";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { inject } from "vitest";
import { workerHeartbeats } from "@/db/schema";
import { db } from "@/lib/db/client";
import { Leases } from "@/lib/worker/leases";

describe("network leases", () => {
  it("one holder at a time; released when the holder's connection ends", async () => {
    const a = new Leases();
    const b = new Leases();
    const name = `test:${Math.random()}`;
    try {
      expect(await a.tryAcquire(name)).toBe(true);
      expect(await a.tryAcquire(name)).toBe(true); // re-entrant for its holder
      expect(await b.tryAcquire(name)).toBe(false);
      await a.close(); // the process died or stopped
      expect(await b.tryAcquire(name)).toBe(true);
      expect(b.names()).toEqual([name]);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it("a second worker process runs alongside without taking the networks the first watches", async () => {
    const childEnv = JSON.parse(inject("testEnv").childEnvJson) as Record<string, string>;
    const proc = spawn(process.execPath, ["--import", "tsx", "workers/index.ts"], {
      env: { ...childEnv, TOLLGATE_SERVICE: "worker" } as unknown as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"],
    });
    const out: string[] = [];
    proc.stdout.on("data", (d: Buffer) => out.push(d.toString()));
    proc.stderr.on("data", (d: Buffer) => out.push(d.toString()));
    try {
      let rows: (typeof workerHeartbeats.$inferSelect)[] = [];
      for (let i = 0; i < 240; i++) { // up to 60 s: tsx compiles the worker first, on a busy machine
        rows = await db().select().from(workerHeartbeats).where(eq(workerHeartbeats.pid, proc.pid!));
        if (rows.length) break;
        await new Promise((r) => setTimeout(r, 250));
      }
      expect(rows, out.join("").slice(-3000)).toHaveLength(1);
      expect(rows[0].networks).toEqual([]);
      const all = await db().select().from(workerHeartbeats);
      const watched = all.flatMap((r) => r.networks);
      // every devnet network watched exactly once across workers
      expect(watched.filter((n) => n === "watch:ethereum:test")).toHaveLength(1);
      expect(watched.filter((n) => n === "watch:polygon:test")).toHaveLength(1);
      expect(watched.filter((n) => n === "watch:tron:test")).toHaveLength(1);
    } finally {
      proc.kill("SIGTERM");
      await new Promise((r) => proc.on("exit", r));
    }
    // a clean stop retires its heartbeat row
    const left = await db().select().from(workerHeartbeats).where(eq(workerHeartbeats.pid, proc.pid!));
    expect(left).toHaveLength(0);
  });
});
