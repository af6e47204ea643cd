// Webhook test helpers: a receiver on 127.0.0.1 whose answers the test scripts, verification with
// the independent `standardwebhooks` library, and (for timing-sensitive tests) a database and a
// worker of the test's own, with a fast retry schedule, so the stack's worker never races for jobs.
import { createWriteStream } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { Webhook } from "standardwebhooks";
import { inject } from "vitest";
import { closeDb } from "@/lib/db/client";
import { spawnWorker, type WorkerProc } from "./helpers/worker-process";
import { useOwnDatabase } from "./helpers/own-database";

export type Received = { headers: http.IncomingHttpHeaders; body: string; at: number };
export type Reply = { status: number; body?: string; delayMs?: number; headers?: Record<string, string> } | "hang";

export type Receiver = {
  url: string;
  port: number;
  received: Received[];
  /** decides each answer; n is the 0-based index of the request */
  reply: (n: number, r: Received) => Reply;
  close: () => Promise<void>;
};

export async function startReceiver(reply: Receiver["reply"] = () => ({ status: 200, body: "ok" }), port = 0): Promise<Receiver> {
  const received: Received[] = [];
  const sockets = new Set<import("node:net").Socket>();
  const rec: Receiver = { url: "", port: 0, received, reply, close: async () => {} };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const r: Received = { headers: req.headers, body: Buffer.concat(chunks).toString("utf8"), at: Date.now() };
      const n = received.length;
      received.push(r);
      const out = rec.reply(n, r);
      if (out === "hang") return;
      const send = () => { res.writeHead(out.status, out.headers ?? {}); res.end(out.body ?? ""); };
      if (out.delayMs) setTimeout(send, out.delayMs); else send();
    });
  });
  server.on("connection", (s) => { sockets.add(s); s.on("close", () => sockets.delete(s)); });
  await new Promise<void>((r) => server.listen(port, "127.0.0.1", r));
  rec.port = (server.address() as AddressInfo).port;
  rec.url = `http://127.0.0.1:${rec.port}/hook`;
  rec.close = () => new Promise<void>((r) => { for (const s of sockets) s.destroy(); server.close(() => r()); });
  return rec;
}

/** Webhook.verify of the standardwebhooks package (throws when the signature is not valid). */
export function verify(secret: string, r: Received): unknown {
  return new Webhook(secret).verify(r.body, {
    "webhook-id": String(r.headers["webhook-id"]),
    "webhook-timestamp": String(r.headers["webhook-timestamp"]),
    "webhook-signature": String(r.headers["webhook-signature"]),
  });
}

export async function waitFor<T>(what: string, fn: () => Promise<T | undefined | false | null> | T | undefined | false | null, timeoutMs = 20_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v as T;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export type { WorkerProc };

export type OwnWorld = { databaseUrl: string; startWorker: (name: string, env?: Record<string, string>) => WorkerProc; stop: () => Promise<void> };

/** A fresh database on the stack's server (this process's lib/db is switched to it) and workers on it. */
export async function ownWorld(name: string, workerEnv: Record<string, string>): Promise<OwnWorld> {
  const env = inject("testEnv");
  const { dbName, databaseUrl } = await useOwnDatabase(`webhooks_${name}`);
  const childEnv = JSON.parse(env.childEnvJson) as Record<string, string>;
  const workers: WorkerProc[] = [];
  const startWorker = (wname: string, extra: Record<string, string> = {}) => {
    // no chain watchers: this worker is here for webhooks only
    const w = spawnWorker(
      { ...childEnv, DATABASE_URL: databaseUrl, ETHEREUM_TEST_ENABLED: "0", POLYGON_TEST_ENABLED: "0", LOG_LEVEL: "info", ...workerEnv, ...extra },
      { dir: env.logDir, name: `${dbName}-${wname}` },
    );
    workers.push(w);
    return w;
  };
  return {
    databaseUrl, startWorker,
    stop: async () => {
      await Promise.all(workers.map((w) => w.kill("SIGKILL")));
      await closeDb();
    },
  };
}
