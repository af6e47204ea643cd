// Structured request logs carry the request id and never a secret.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, inject, it } from "vitest";
import { api, newMerchant } from "../helpers/api";

describe("request logs", () => {
  it("one JSON line per request with its Request-Id, and no API key anywhere", async () => {
    const logDir = inject("testEnv").logDir;
    if (!logDir) return expect.fail("the test stack records the web log");
    const m = await newMerchant();
    const ok = await api(m.key).get("/v1/currencies");
    const bad = await api().get("/v1/currencies", { "x-api-key": m.key.slice(0, -2) + "zz" });
    const alias = await api().get("/v1/currencies", { "FRX-API": m.liveKey });
    await new Promise((r) => setTimeout(r, 500)); // the child's output is flushed line by line
    const log = readFileSync(path.join(logDir, "web.log"), "utf8");
    const lines = log.split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l));
    const mine = lines.find((l) => l.requestId === ok.headers.get("request-id"));
    expect(mine).toMatchObject({ msg: "request", method: "GET", path: "/v1/currencies", status: 200, merchantId: m.merchantId });
    expect(mine.keyPrefix).toBe(m.key.slice(0, 12));
    expect(lines.find((l) => l.requestId === bad.headers.get("request-id"))).toMatchObject({ status: 401 });
    expect(lines.find((l) => l.requestId === alias.headers.get("request-id"))).toMatchObject({ status: 200 });
    for (const secret of [m.key, m.liveKey, m.key.slice(0, -2) + "zz", m.key.slice(12), m.liveKey.slice(12)]) {
      expect(log).not.toContain(secret);
    }
  });
});
