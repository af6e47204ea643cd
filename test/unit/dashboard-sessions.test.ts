// The dashboard sessions pages' pure parts: URL state, amounts and explorer links for display, and
// the order of a session's timeline.
import { describe, expect, it } from "vitest";
import { displayAmount, explorerTxUrl, networkLabel } from "@/lib/dashboard/sessions/chain-display";
import { parseSessionListParams, sessionListHref } from "@/lib/dashboard/sessions/list-params";
import { buildTimeline } from "@/lib/dashboard/sessions/timeline";

describe("sessions list URL state", () => {
  it("defaults, ignores junk and keeps one cursor", () => {
    const none = { exception: null, network: null, from: null, to: null };
    expect(parseSessionListParams({}, "test")).toEqual({ mode: "test", status: null, q: "", filters: none, after: null, before: null });
    expect(parseSessionListParams({ mode: "LIVE", status: "paid", q: "  A-1 " }, "live"))
      .toEqual({ mode: "live", status: null, q: "A-1", filters: none, after: null, before: null });
    expect(parseSessionListParams({ mode: "test", status: ["expired", "succeeded"], after: "x", before: "y" }, "live"))
      .toMatchObject({ mode: "test", status: "expired", after: "x", before: null });
    expect(parseSessionListParams({ q: "x".repeat(500) }, "test").q).toHaveLength(200);
  });

  it("builds hrefs that drop the cursor when a filter changes", () => {
    const p = parseSessionListParams({ mode: "test", status: "expired", q: "a b&c", after: "abc" }, "test");
    expect(sessionListHref(p)).toBe("/dashboard/sessions?mode=test&status=expired&q=a+b%26c");
    expect(sessionListHref(p, { status: null })).toBe("/dashboard/sessions?mode=test&q=a+b%26c");
    expect(sessionListHref(p, { before: "id1" })).toBe("/dashboard/sessions?mode=test&status=expired&q=a+b%26c&before=id1");
    // the shared filters ride along, and are dropped by "clear filters"
    const f = parseSessionListParams({ mode: "test", exception: "paid_late", network: "polygon", from: "2026-01-01", to: "2026-01-31", after: "abc" }, "test");
    expect(sessionListHref(f)).toBe("/dashboard/sessions?mode=test&exception=paid_late&network=polygon&from=2026-01-01&to=2026-01-31");
    expect(sessionListHref(f, { filters: { ...f.filters, network: null } })).toBe("/dashboard/sessions?mode=test&exception=paid_late&from=2026-01-01&to=2026-01-31");
  });
});

describe("display helpers", () => {
  it("shows at least two decimals and never rounds", () => {
    expect(displayAmount(25_000_000n, 6)).toBe("25.00");
    expect(displayAmount(4_500_000n, 6)).toBe("4.50");
    expect(displayAmount(1n, 6)).toBe("0.000001");
    expect(displayAmount(123_456_789n, 6)).toBe("123.456789");
    expect(displayAmount(10n ** 18n, 18)).toBe("1.00");
    expect(displayAmount(7n, 0)).toBe("7");
    // grouped; 18-decimal dust beyond eight places is not shown
    expect(displayAmount(1_234_567_891_234n, 6)).toBe("1,234,567.891234");
    expect(displayAmount(10n ** 18n + 1n, 18)).toBe("1.00");
  });

  it("links live transactions to the explorer, never test ones", () => {
    expect(explorerTxUrl("ethereum", true, "0xabc")).toBe("https://etherscan.io/tx/0xabc");
    expect(explorerTxUrl("polygon", true, "0xabc")).toBe("https://polygonscan.com/tx/0xabc");
    expect(explorerTxUrl("ethereum", false, "0xabc")).toBeNull();
    expect(explorerTxUrl("bahamut", true, "0xabc")).toBe("https://www.ftnscan.com/tx/0xabc");
    expect(explorerTxUrl("bahamut", false, "0xabc")).toBeNull();
    expect(networkLabel("ethereum", false)).toBe("Ethereum (test)");
  });
});

describe("timeline", () => {
  const t = (s: number) => new Date(Date.UTC(2026, 0, 1, 12, 0, s));
  const deposit = {
    id: "d1", network: "ethereum", livemode: false, txHash: "0xdead", logIndex: 0, blockNumber: 7n, fromAddress: "0xfrom",
    assetCode: "eUSDC", amount: 25_000_000n, status: "confirmed" as const, late: false, belowMinimum: false,
    createdAt: t(10), confirmedAt: t(20), revertedAt: null,
  };

  it("merges events, deposit moments and outbound transactions in time order", () => {
    const entries = buildTimeline({
      createdAt: t(0),
      events: [{ id: "e2", type: "session.succeeded", createdAt: t(40) }, { id: "e1", type: "session.processing", createdAt: t(10) }]
        .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime()),
      deposits: [deposit],
      outbound: [{
        id: "o1", network: "ethereum", livemode: false, purpose: "forward", toAddress: "0xdest", tokenAddress: null,
        amount: 10n ** 15n, txHash: "0xf00", status: "confirmed", error: null, createdAt: t(30), updatedAt: t(35),
      }],
    });
    expect(entries.map((e) => e.key)).toEqual(["created", "deposit:d1:seen", "event:e1", "deposit:d1:confirmed", "outbound:o1", "event:e2"]);
    const seen = entries[1];
    expect(seen.kind === "deposit" && [seen.amount, seen.symbol, seen.tx.url]).toEqual(["25.00", "USDC", null]);
    const forward = entries[4];
    expect(forward.kind === "outbound" && [forward.amount, forward.symbol]).toEqual(["0.001", "ETH"]);
  });

  it("shows a reverted deposit as seen, then reverted", () => {
    const entries = buildTimeline({
      createdAt: t(0), events: [], outbound: [],
      deposits: [{ ...deposit, livemode: true, status: "reverted", confirmedAt: null, revertedAt: t(15) }],
    });
    expect(entries.map((e) => e.key)).toEqual(["created", "deposit:d1:seen", "deposit:d1:reverted"]);
    const seen = entries[1];
    expect(seen.kind === "deposit" && [seen.status, seen.tx.url]).toEqual(["reverted", "https://etherscan.io/tx/0xdead"]);
  });
});
