import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  CHECKOUT_STATUSES, IllegalTransitionError, TRANSITIONS, TransitionConflictError, canTransition, isTerminal,
  retryOnConflict, transition, type CheckoutStatus,
} from "@/lib/checkout/state-machine";

// DOMAIN.md, written out edge by edge so a change to the table has to change this list too.
const ALLOWED: Array<[CheckoutStatus, CheckoutStatus]> = [
  ["requires_payment_method", "waiting_payment"],
  ["requires_payment_method", "expired"],
  // a payment blocked before its deposit currency was chosen (payments dialect NEW → BLOCKED)
  ["requires_payment_method", "bounced"],
  ["waiting_payment", "processing"],
  ["waiting_payment", "expired"],
  ["waiting_payment", "bounced"], // a merchant blocks a payment (BLOCKED)
  ["processing", "succeeded"],
  ["processing", "bounced"],
  ["processing", "waiting_payment"], // reorg revert before confirmation
];

describe("checkout state machine", () => {
  it("knows exactly the six statuses", () => {
    expect([...CHECKOUT_STATUSES].sort()).toEqual(
      ["bounced", "expired", "processing", "requires_payment_method", "succeeded", "waiting_payment"],
    );
    expect(Object.keys(TRANSITIONS).sort()).toEqual([...CHECKOUT_STATUSES].sort());
  });

  it("allows exactly the transitions of DOMAIN.md", () => {
    for (const from of CHECKOUT_STATUSES) {
      for (const to of CHECKOUT_STATUSES) {
        const expected = ALLOWED.some(([f, t]) => f === from && t === to);
        expect(canTransition(from, to), `${from} → ${to}`).toBe(expected);
      }
    }
  });

  it("never leaves a terminal status, and nothing else is terminal", () => {
    expect(CHECKOUT_STATUSES.filter(isTerminal).sort()).toEqual(["bounced", "expired", "succeeded"]);
    for (const s of ["succeeded", "bounced", "expired"] as const) expect(TRANSITIONS[s]).toEqual([]);
  });

  it("has no self-transitions and cannot skip processing", () => {
    for (const s of CHECKOUT_STATUSES) expect(canTransition(s, s)).toBe(false);
    expect(canTransition("waiting_payment", "succeeded")).toBe(false);
    expect(canTransition("requires_payment_method", "processing")).toBe(false);
    expect(canTransition("processing", "expired")).toBe(false);
  });

  it("refuses a forbidden transition before touching the database", async () => {
    const tx = new Proxy({}, { get: () => { throw new Error("the database must not be used"); } });
    await expect(transition(tx as never, "00000000-0000-4000-8000-000000000000", "expired", "waiting_payment", []))
      .rejects.toBeInstanceOf(IllegalTransitionError);
  });

  it("the database check constraint lists the same statuses", () => {
    const sql = readFileSync(path.resolve(import.meta.dirname, "../../db/migrations/0001_sessions.sql"), "utf8");
    const m = /CONSTRAINT "checkouts_status_check" CHECK \((.+?)\)\)/.exec(sql);
    expect(m).not.toBeNull();
    const inSql = [...m![1].matchAll(/'([a-z_]+)'/g)].map((x) => x[1]).sort();
    expect(inSql).toEqual([...CHECKOUT_STATUSES].sort());
  });
});

describe("retryOnConflict", () => {
  it("retries a lost compare-and-set a bounded number of times", async () => {
    let calls = 0;
    const conflict = () => new TransitionConflictError("id", "waiting_payment", "processing", "expired");
    await expect(retryOnConflict(async () => { calls++; throw conflict(); }, 3)).rejects.toBeInstanceOf(TransitionConflictError);
    expect(calls).toBe(3);

    calls = 0;
    expect(await retryOnConflict(async () => { if (++calls < 2) throw conflict(); return "ok"; })).toBe("ok");
    expect(calls).toBe(2);
  });

  it("does not retry other errors", async () => {
    let calls = 0;
    await expect(retryOnConflict(async () => { calls++; throw new Error("boom"); })).rejects.toThrow("boom");
    expect(calls).toBe(1);
  });
});
