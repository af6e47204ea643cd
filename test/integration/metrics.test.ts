// Issue 15 item 9: GET /metrics in Prometheus text format, and its numbers follow what happens
// (a deposit appears, a payment's forward leaves the pending set).
import { describe, expect, it } from "vitest";
import { api } from "../helpers/api";
import { createPayment, ethPayer, paymentMerchant, submit, waitForPayment } from "./helpers/payments";
import { USDC, waitFor } from "./helpers/watcher";

type Sample = { name: string; labels: Record<string, string>; value: number };

/** A strict reader of the text exposition format 0.0.4: throws on any line it does not understand. */
function parsePrometheus(text: string): Sample[] {
  const out: Sample[] = [];
  const types = new Map<string, string>();
  for (const line of text.split("\n")) {
    if (line === "") continue;
    const meta = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/.exec(line);
    if (meta) {
      if (meta[1] === "TYPE") {
        expect(["counter", "gauge", "histogram", "summary", "untyped"]).toContain(meta[3]);
        types.set(meta[2], meta[3]);
      }
      continue;
    }
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (-?[0-9.eE+-]+|NaN|[+-]Inf)$/.exec(line);
    if (!m) throw new Error(`not a Prometheus sample line: ${line}`);
    const labels: Record<string, string> = {};
    if (m[3]) {
      const re = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(,|$)/gy;
      let rest = m[3];
      let lm: RegExpExecArray | null;
      re.lastIndex = 0;
      while ((lm = re.exec(rest))) labels[lm[1]] = lm[2];
      if (re.lastIndex !== rest.length && re.lastIndex !== 0) throw new Error(`bad labels: ${line}`);
      rest = "";
    }
    expect(types.has(m[1]), `${m[1]} has a TYPE line`).toBe(true);
    out.push({ name: m[1], labels, value: Number(m[4]) });
  }
  return out;
}

async function scrape(): Promise<Sample[]> {
  const r = await api().get("/metrics");
  expect(r.status, r.text).toBe(200);
  expect(r.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePrometheus(r.text);
}

const value = (samples: Sample[], name: string, labels: Record<string, string>) =>
  samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;

describe("GET /metrics", () => {
  it("is Prometheus text with per-network, webhook and worker numbers that move", async () => {
    const before = await scrape();
    const eth = { network: "ethereum", mode: "test" };
    for (const name of ["tollgate_network_checkpoint_block", "tollgate_network_head_lag_seconds", "tollgate_network_payouts_paused",
      "tollgate_outbound_pending", "tollgate_outbound_oldest_pending_age_seconds"]) {
      expect(value(before, name, eth), name).toBeTypeOf("number");
    }
    for (const net of ["polygon", "tron", "solana"]) expect(value(before, "tollgate_network_payouts_paused", { network: net, mode: "test" })).toBe(0);
    expect(value(before, "tollgate_webhook_deliveries", { status: "pending" })).toBeTypeOf("number");
    expect(value(before, "tollgate_webhook_backlog_oldest_age_seconds", {})).toBeGreaterThanOrEqual(0);
    expect(value(before, "tollgate_worker_heartbeat_age_seconds", {})).toBeLessThan(30);
    const confirmed = (s: Sample[]) => value(s, "tollgate_deposits", { ...eth, status: "confirmed" }) ?? -1;
    const checkpoint = value(before, "tollgate_network_checkpoint_block", eth)!;

    // a payment paid on the ethereum devnet: one more confirmed deposit, and the checkpoint moves on
    const m = await paymentMerchant();
    const p = await createPayment(m.key, { displayCurrency: "USD", displayAmount: "3" });
    const info = await submit(m.key, p.paymentId, { depositCurrency: "USDC", network: "ETH" });
    const payer = await ethPayer(USDC, 3_000_000n);
    await payer.pay(info.walletAddress, 3_000_000n);
    await waitForPayment(m.key, p.paymentId, "deposit recorded", (x) => x.deposits.length === 1);
    const after = await waitFor("the deposit in /metrics", async () => {
      const s = await scrape();
      return confirmed(s) >= confirmed(before) + 1 ? s : undefined;
    }, 30_000, 500);
    expect(value(after, "tollgate_network_checkpoint_block", eth)!).toBeGreaterThan(checkpoint);
  });

  it("is open when TOLLGATE_METRICS_TOKEN is unset", async () => {
    const r = await api().get("/metrics", { Authorization: "Bearer wrong" });
    expect(r.status).toBe(200); // no token configured on the test stack: open (documented)
  });
});
