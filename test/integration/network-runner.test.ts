// One runner per network (issue 15 item 5): in each round the watcher's pass comes first, then the
// steps in their order (settle before pay out); while the watcher is behind it passes back to
// back and the steps keep their own pace; a failing step backs off without stopping the watch;
// only the holder of the network's watch lease watches. Real fenced leases in PostgreSQL.
import { describe, expect, it } from "vitest";
import type { ChainConfig } from "@/lib/config";
import { Leases } from "@/lib/worker/leases";
import { runNetwork } from "@/lib/worker/network-runner";

const chain = (key: string) => ({ key, network: key, livemode: false }) as unknown as ChainConfig;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("network runner", () => {
  it("watches first, then settles, then pays out, each round; a failing step backs off while watching goes on", async () => {
    const log: string[] = [];
    let behind = 5;
    const leases = new Leases();
    const runner = runNetwork(chain(`runner-test-${Math.random()}`), {
      tick: async () => { log.push("watch"); return { again: behind-- > 0 }; },
      reset: () => {},
      recordError: async () => {},
    }, {
      leases, pollMs: 100,
      steps: [
        { name: "settle", everyMs: 150, run: async () => { log.push("settle"); } },
        { name: "payout", everyMs: 150, run: async () => { log.push("payout"); throw new Error("node down"); } },
      ],
    });
    await sleep(1500);
    await runner.stop();
    await leases.close();
    // the first round: the watch pass, then the steps in order
    expect(log.slice(0, 3)).toEqual(["watch", "settle", "payout"]);
    // behind: back-to-back watch passes, the steps not run more often than their pace
    expect(log.slice(3, 8)).toEqual(["watch", "watch", "watch", "watch", "watch"]);
    const count = (x: string) => log.filter((l) => l === x).length;
    expect(count("settle")).toBeGreaterThanOrEqual(5);
    // the failing payout backs off (150, 300, 600 ms …) while settle keeps its pace
    expect(count("payout")).toBeLessThan(count("settle"));
    expect(count("payout")).toBeGreaterThanOrEqual(2);
    // settle never runs before the watch pass of its round
    for (let i = 0; i < log.length; i++) if (log[i] === "settle") expect(log.slice(0, i)).toContain("watch");
  });

  it("only the holder of the network's watch lease watches", async () => {
    const key = `runner-lease-${Math.random()}`;
    const a = new Leases();
    const b = new Leases();
    const ticks = { a: 0, b: 0 };
    const watcher = (who: "a" | "b") => ({ tick: async () => { ticks[who]++; return { again: false }; }, reset: () => {}, recordError: async () => {} });
    const ra = runNetwork(chain(key), watcher("a"), { leases: a, pollMs: 50 });
    await sleep(200);
    const rb = runNetwork(chain(key), watcher("b"), { leases: b, pollMs: 50 });
    await sleep(500);
    await Promise.all([ra.stop(), rb.stop()]);
    await Promise.all([a.close(), b.close()]);
    expect(ticks.a).toBeGreaterThan(3);
    expect(ticks.b).toBe(0);
  });
});
