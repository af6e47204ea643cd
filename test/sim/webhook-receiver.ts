// The merchants' webhook endpoints in the simulation: one local HTTP server, a path per endpoint.
// Until an endpoint "recovers", each delivery is answered by a seeded draw: 200, a 500, a timeout
// (no answer within the worker's webhook timeout) or a late 200. Every delivery's Standard Webhooks
// signature is verified with the independent `standardwebhooks` library.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";

export type Delivery = { eventId: string; type: string; ok: boolean; validSignature: boolean; answered: number };

export type Endpoint = {
  path: string;
  secret: string | null;
  recovered: boolean;
  deliveries: Delivery[];
  rand: () => number;
};

export type Receiver = {
  url: (path: string) => string;
  endpoint: (path: string, rand: () => number) => Endpoint;
  stop: () => Promise<void>;
  /** deliveries by outcome */
  stats: Record<string, number>;
};

export async function startReceiver(opts: { timeoutMs: number }): Promise<Receiver> {
  const endpoints = new Map<string, Endpoint>();
  const stats: Record<string, number> = {};
  const sockets = new Set<import("node:net").Socket>();
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const ep = endpoints.get(req.url ?? "");
    if (!ep) { res.writeHead(404).end(); return; }
    let validSignature = false;
    let eventId = "";
    let type = "";
    try {
      const parsed = JSON.parse(body) as { id: string; type: string };
      eventId = parsed.id;
      type = parsed.type;
      if (ep.secret) {
        new Webhook(ep.secret).verify(body, {
          "webhook-id": String(req.headers["webhook-id"]), "webhook-timestamp": String(req.headers["webhook-timestamp"]),
          "webhook-signature": String(req.headers["webhook-signature"]),
        });
        validSignature = true;
      }
    } catch { /* recorded as invalid */ }
    const x = ep.recovered ? 1 : ep.rand();
    const outcome = x < 0.15 ? "http500" : x < 0.22 ? "timeout" : x < 0.32 ? "late" : "ok";
    stats[outcome] = (stats[outcome] ?? 0) + 1;
    const d: Delivery = { eventId, type, ok: false, validSignature, answered: 0 };
    ep.deliveries.push(d);
    if (outcome === "http500") { d.answered = 500; res.writeHead(500).end("down"); return; }
    if (outcome === "timeout") {
      // answers after the sender gave up: the delivery failed for the sender
      await new Promise((r) => setTimeout(r, opts.timeoutMs + 500));
      if (!res.destroyed) res.writeHead(200).end("too late");
      return;
    }
    if (outcome === "late") await new Promise((r) => setTimeout(r, Math.floor(opts.timeoutMs * 0.6)));
    d.answered = 200;
    d.ok = true;
    res.writeHead(200).end("ok");
  });
  server.on("connection", (s) => { sockets.add(s); s.on("close", () => sockets.delete(s)); });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: (p) => `http://127.0.0.1:${port}${p}`,
    endpoint: (p, rand) => {
      const ep: Endpoint = { path: p, secret: null, recovered: false, deliveries: [], rand };
      endpoints.set(p, ep);
      return ep;
    },
    stats,
    stop: async () => {
      // the workers may still be delivering: connections that arrive while it closes are ended too, and it never waits long
      const closed = new Promise<void>((r) => server.close(() => r()));
      for (const s of sockets) s.destroy();
      server.closeAllConnections();
      await Promise.race([closed, new Promise((r) => setTimeout(r, 5_000).unref())]);
    },
  };
}
