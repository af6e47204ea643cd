// The watcher's receiver set (lib/chains/evm/watched-receivers) against the real database: a
// receiver takes its derivation index from a sequence and commits later, so a row can appear
// under an index below one a refresh has already seen. Found by the simulation (issue 19): a
// worker that took over loaded the set while two sessions' receivers were still committing; its
// next refresh came 15 s later (its ticks stalled on a faulty node), looked only above the index
// the load had seen, and the two payments were never credited.
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { receivers } from "@/db/schema";
import { wireAddress } from "@/lib/addresses";
import { WatchedReceivers } from "@/lib/chains/evm/watched-receivers";
import { db } from "@/lib/db/client";
import { newMerchant } from "../helpers/api";
import { reserveReceiver } from "./helpers/watcher";

const WINDOW_MS = 400;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Commits the reserved receiver's row (a permanent-style receiver watched for an hour). */
async function commit(merchantId: string, r: { index: bigint; address: string }): Promise<void> {
  await db().insert(receivers).values({
    merchantId, livemode: false, family: "evm", address: r.address, derivationIndex: r.index, watchUntil: sql`now() + interval '1 hour'`,
  });
}

describe("watched receivers: rows committed under a lower index", () => {
  it("right after the first load: picked up by the next refresh, however long it comes after the commit", async () => {
    const m = await newMerchant();
    const set = new WatchedReceivers("evm", false, { commitWindowMs: WINDOW_MS });
    const slow = await reserveReceiver();
    await commit(m.merchantId, await reserveReceiver()); // a higher index commits first
    await set.refreshAfter(Date.now());
    expect(set.has(wireAddress(slow.address))).toBe(false);
    await commit(m.merchantId, slow); // within the window of taking its index
    await sleep(WINDOW_MS * 3); // no refresh for longer than the window
    await set.refreshAfter(Date.now());
    expect(set.has(wireAddress(slow.address))).toBe(true);
    // learnt of after the load: listed, so a watcher rescans the blocks it already scanned for it
    expect(set.added(0).receivers.map((r) => r.address)).toContain(wireAddress(slow.address));
  });

  it("between two incremental refreshes far apart: picked up by the second", async () => {
    const m = await newMerchant();
    const set = new WatchedReceivers("evm", false, { commitWindowMs: WINDOW_MS });
    await set.refreshAfter(Date.now());
    await sleep(WINDOW_MS * 2);
    await set.refreshAfter(Date.now()); // past the first load's margin
    await sleep(WINDOW_MS * 2);
    const slow = await reserveReceiver();
    const fast = await reserveReceiver();
    await commit(m.merchantId, fast);
    await set.refreshAfter(Date.now()); // sees the higher index
    expect(set.has(wireAddress(fast.address))).toBe(true);
    await commit(m.merchantId, slow);
    await sleep(WINDOW_MS * 3);
    await set.refreshAfter(Date.now());
    expect(set.has(wireAddress(slow.address))).toBe(true);
  });
});
