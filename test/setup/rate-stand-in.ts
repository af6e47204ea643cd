// A local stand-in for the public price APIs lib/rates talks to (tests send traffic only to
// 127.0.0.1): CoinGecko's GET /api/v3/simple/price and Coinbase's GET /v2/prices/{pair}/spot,
// answering from a table tests change over HTTP (POST /__control/prices {"USDT-CHF": "0.9" |
// "down" | null}), so a price can move between a quote and a deposit. `stop()` takes it down.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { COINGECKO_IDS } from "@/lib/rates/coingecko";

export type RateStandIn = { url: string; stop: () => Promise<void>; hits: Map<string, number> };

const TICKER_OF_ID = Object.fromEntries(Object.entries(COINGECKO_IDS).map(([t, id]) => [id, t]));

export async function startRateStandIn(): Promise<RateStandIn> {
  const prices = new Map<string, string>();
  const hits = new Map<string, number>();
  const hit = (pair: string) => hits.set(pair, (hits.get(pair) ?? 0) + 1);
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const send = (status: number, body: string) => {
      res.writeHead(status, { "Content-Type": "application/json" });
      res.end(body);
    };
    if (req.method === "POST" && url.pathname === "/__control/prices") {
      let raw = "";
      req.on("data", (c: Buffer) => { raw += c.toString(); });
      req.on("end", () => {
        for (const [pair, v] of Object.entries(JSON.parse(raw) as Record<string, string | null>)) {
          if (v === null) prices.delete(pair);
          else prices.set(pair, v);
        }
        send(200, "{}");
      });
      return;
    }
    if (req.method === "GET" && url.pathname === "/__control/hits") return send(200, JSON.stringify(Object.fromEntries(hits)));
    if (req.method === "GET" && url.pathname === "/api/v3/simple/price") {
      const id = url.searchParams.get("ids") ?? "";
      const vs = url.searchParams.get("vs_currencies") ?? "";
      const pair = `${TICKER_OF_ID[id] ?? id}-${vs.toUpperCase()}`;
      hit(pair);
      const p = prices.get(pair);
      if (p === "down") return send(503, '{"status":{"error_code":503,"error_message":"stand-in: down"}}');
      // the number written as a literal, as CoinGecko does
      return send(200, p === undefined ? `{"${id}":{}}` : `{"${id}":{"${vs}":${p}}}`);
    }
    const spot = /^\/v2\/prices\/([A-Z0-9]+)-([A-Z]+)\/spot$/.exec(url.pathname);
    if (req.method === "GET" && spot) {
      const pair = `${spot[1]}-${spot[2]}`;
      hit(pair);
      const p = prices.get(pair);
      if (p === "down") return send(503, '{"errors":[{"id":"internal_server_error"}]}');
      if (p === undefined) return send(404, '{"errors":[{"id":"not_found","message":"Invalid currency"}]}');
      return send(200, JSON.stringify({ data: { amount: p, base: spot[1], currency: spot[2] } }));
    }
    send(404, '{"error":"not found"}');
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    stop: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** Sets (or with null removes, or with "down" fails) prices on a running stand-in. */
export async function setStandInPrices(url: string, prices: Record<string, string | null>): Promise<void> {
  const res = await fetch(`${url}/__control/prices`, { method: "POST", body: JSON.stringify(prices) });
  if (!res.ok) throw new Error(`rate stand-in: ${res.status}`);
}
