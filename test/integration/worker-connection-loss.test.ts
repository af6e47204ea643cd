// The server ends every connection of a running worker (as a PostgreSQL restart, a failover or
// Ctrl-C on `npm start` do): the worker must stay up, reconnect, and go on working — here, its
// heartbeat and a webhook delivery after the loss. Its own database, so the kill reaches no one else.
import { eq, inArray, sql } from "drizzle-orm";
import net from "node:net";
import pg from "pg";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { webhookDeliveries } from "@/db/schema";
import { db } from "@/lib/db/client";
import { freePorts } from "@/lib/devnet/free-port";
import { emit } from "@/lib/events/emit";
import { createMerchant } from "@/lib/merchants/create-merchant";
import { createEndpoint } from "@/lib/webhooks/endpoints";
import { ownWorld, startReceiver, waitFor, type OwnWorld, type Receiver, type WorkerProc } from "./webhooks-helpers";

let world: OwnWorld;
let worker: WorkerProc;
let receiver: Receiver;

beforeAll(async () => {
  // a stale-lock sweep every second keeps a connection of the runner's utilities open and idle, as in a long-running worker
  world = await ownWorld("connloss", { TOLLGATE_WEBHOOK_POLL_MS: "100", TOLLGATE_WEBHOOK_RETRY_SCHEDULE: "0.3", TOLLGATE_WEBHOOK_STALE_LOCK_SECONDS: "2" });
  worker = world.startWorker("w");
  receiver = await startReceiver(() => ({ status: 200, body: "ok" }));
}, 120_000);

afterAll(async () => {
  await receiver?.close();
  await world?.stop();
});

const others = async () => (await db().execute<{ pid: number; state: string }>(sql`
  select pid, state from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`)).rows;

const lastBeat = async () => (await db().execute<{ at: Date | null }>(sql`select max(beat_at) as at from worker_heartbeats`)).rows[0]?.at;

it("keeps running when the server ends all its connections, reconnects and delivers", async () => {
  await waitFor("the worker's heartbeat", lastBeat, 60_000);
  // its pools are open (main pool, lease client, graphile-worker's pool with its LISTEN client)
  await waitFor("the worker's connections", async () => (await others()).length >= 3 && true, 30_000);
  await new Promise((r) => setTimeout(r, 1_500)); // one sweep at least

  const killedAt = new Date();
  const killed = await db().execute<{ ok: boolean }>(sql`
    select pg_terminate_backend(pid) as ok from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`);
  expect(killed.rows.length).toBeGreaterThanOrEqual(3);

  // a crash would show within moments (unhandled 'error' events are thrown on the next tick)
  await new Promise((r) => setTimeout(r, 2_000));
  expect(worker.proc.exitCode).toBeNull();
  expect(worker.proc.signalCode).toBeNull();

  // it reconnects: a heartbeat after the loss (every 5 s), and a webhook delivered end to end
  await waitFor("a heartbeat after the loss", async () => { const at = await lastBeat(); return at && new Date(at) > killedAt; }, 20_000);
  const { merchantId } = await createMerchant({ name: "Loss", email: `loss-${Date.now()}@test.local`, password: "password-123456" });
  await createEndpoint({ merchantId, livemode: false }, { url: receiver.url });
  const [ev] = await db().transaction((tx) => emit(tx, [{
    merchantId, livemode: false, type: "session.succeeded", objectType: "session", objectId: "after_loss", data: { sessionId: "after_loss", status: "succeeded" },
  }]));
  await waitFor("the delivery after the loss", async () => {
    const [d] = await db().select().from(webhookDeliveries).where(eq(webhookDeliveries.eventId, ev.id));
    return d?.status === "succeeded";
  }, 30_000);
  expect(receiver.received.some((r) => r.body.includes(ev.id))).toBe(true);
  expect(worker.proc.exitCode).toBeNull();
}, 120_000);

/**
 * A merchant with an endpoint on the receiver, a way to emit its events, and an outage: the world's
 * database refuses connections for `ms` and every connection to it is ended. Closed by `done`.
 */
async function outageScene(name: string) {
  const dbName = new URL(world.databaseUrl).pathname.slice(1);
  const admin = new pg.Client({ connectionString: inject("testEnv").adminUrl });
  await admin.connect();
  const { merchantId } = await createMerchant({ name, email: `${name.replace(/\W/g, "").toLowerCase()}-${Date.now()}@test.local`, password: "password-123456" });
  await createEndpoint({ merchantId, livemode: false }, { url: receiver.url });
  const emitOne = async (objectId: string) => (await db().transaction((tx) => emit(tx, [{
    merchantId, livemode: false, type: "session.succeeded", objectType: "session", objectId, data: { sessionId: objectId, status: "succeeded" },
  }])))[0];
  return {
    event: emitOne,
    /** an event once the database takes connections again */
    eventAfter: (objectId: string) => waitFor("an event after the outage", () => emitOne(objectId).catch(() => undefined), 20_000),
    outage: async (ms: number) => {
      await admin.query(`alter database ${dbName} allow_connections false`);
      await admin.query("select pg_terminate_backend(pid) from pg_stat_activity where datname = $1", [dbName]);
      await new Promise((r) => setTimeout(r, ms));
      await admin.query(`alter database ${dbName} allow_connections true`);
    },
    done: async () => {
      await admin.query(`alter database ${dbName} allow_connections true`).catch(() => {});
      await admin.end();
    },
  };
}

// The simulation (issue 19) found it: a database restart while a delivery ends makes graphile-worker
// fail to record the finished job ("Could not failJobs; queue is in an inconsistent state") and
// shut its pool down by itself — the rest of the worker runs on, so no webhook was sent again.
it("a webhook runner that graphile-worker shut down is replaced: deliveries go on", async () => {
  const scene = await outageScene("Runner");
  try {
    // the first delivery is answered late; while it waits, the database stops taking connections
    receiver.reply = (_n, r) => (r.body.includes("in_flight") ? { status: 200, body: "ok", delayMs: 2_000 } : { status: 200, body: "ok" });
    const first = await scene.event("in_flight");
    await waitFor("the first delivery to reach the receiver", async () => receiver.received.some((r) => r.body.includes(first.id)), 30_000);
    await scene.outage(4_000); // the attempt ends, its job cannot be recorded

    const second = await scene.eventAfter("after_outage");
    await waitFor("the delivery after the outage", async () => {
      const [d] = await db().select().from(webhookDeliveries).where(eq(webhookDeliveries.eventId, second.id));
      return d?.status === "succeeded";
    }, 30_000);
    expect(worker.proc.exitCode).toBeNull();
  } finally {
    await scene.done();
  }
}, 120_000);

// The simulation (issue 19, seed 31) found the runner lost a second way: graphile-worker began its
// graceful shutdown (a finished job it could not record) and did not finish it for minutes, so the
// replacement, started only once the old runner had ended, never came — no webhook left either
// worker for 3 minutes. The old pool's shutdown waits for the attempts still in flight; a new
// runner must not wait for it: here one attempt is answered late (8 s) while another's failure
// cannot be recorded, and an event emitted after the outage must be delivered before that late
// answer comes.
it("a webhook runner that begins to shut down is replaced at once, not when its last attempt ends", async () => {
  const scene = await outageScene("Runner 2");
  try {
    receiver.reply = (_n, r) => (r.body.includes("answered_late") ? { status: 200, body: "ok", delayMs: 8_000 }
      : r.body.includes("ends_in_outage") ? { status: 200, body: "ok", delayMs: 1_000 } : { status: 200, body: "ok" });
    const late = await scene.event("answered_late");
    const failing = await scene.event("ends_in_outage");
    const arrived = (id: string) => receiver.received.find((r) => r.body.includes(id));
    await waitFor("both attempts to reach the receiver", async () => !!arrived(late.id) && !!arrived(failing.id), 30_000);
    // the database goes away: the short attempt ends in it and its job cannot be recorded
    await scene.outage(2_500);

    const after = await scene.eventAfter("after_second_outage");
    await waitFor("the delivery after the outage", () => Promise.resolve(!!arrived(after.id)), 30_000);
    // delivered by a new runner while the old one still waited for its late attempt
    expect(arrived(after.id)!.at).toBeLessThan(arrived(late.id)!.at + 8_000);
    await waitFor("every delivery recorded", async () => {
      const rows = await db().select().from(webhookDeliveries).where(inArray(webhookDeliveries.eventId, [late.id, failing.id, after.id]));
      return rows.length === 3 && rows.every((d) => d.status === "succeeded");
    }, 60_000);
    expect(worker.proc.exitCode).toBeNull();
  } finally {
    await scene.done();
  }
}, 120_000);

// The simulation (issue 19, seed 71) found it: a worker started while PostgreSQL restarted exited at
// once (its first query failed: "the database system is shutting down"); its standby, started during
// the previous restart, had gone the same way, and no worker was left. A worker waits for its
// database at start-up. Here its database port refuses connections until a proxy to the server opens.
it("a worker started while its database cannot be reached waits for it, then starts", async () => {
  const [port] = await freePorts(1);
  const server = new URL(world.databaseUrl);
  const url = new URL(world.databaseUrl);
  url.hostname = "127.0.0.1";
  url.port = String(port);
  url.searchParams.delete("host"); // over TCP, not the server's Unix socket
  const late = world.startWorker("late", { DATABASE_URL: url.toString() });
  let out = "";
  late.proc.stdout?.on("data", (d: Buffer) => { out += d.toString(); });
  late.proc.stderr?.on("data", (d: Buffer) => { out += d.toString(); });
  let proxy: net.Server | undefined;
  try {
    // it tried, and was refused (the old worker exited here)
    await waitFor("the late worker to meet the refused port", () => late.proc.exitCode !== null || out.includes("database not reachable at start-up"), 90_000);
    expect(late.proc.exitCode, out.slice(-3000)).toBeNull();
    expect(late.proc.signalCode).toBeNull();
    expect(out).not.toContain('"msg":"worker started"');
    // the database is back: every connection to the port goes to the server
    proxy = net.createServer((client) => {
      const upstream = net.connect(Number(server.port), "127.0.0.1");
      client.pipe(upstream).pipe(client);
      client.on("error", () => upstream.destroy());
      upstream.on("error", () => client.destroy());
    });
    await new Promise<void>((r) => proxy!.listen(port, "127.0.0.1", r));
    await waitFor("the late worker started", () => out.includes('"msg":"worker started"'), 60_000);
    expect(late.proc.exitCode).toBeNull();
  } finally {
    await late.kill("SIGKILL");
    proxy?.close();
  }
}, 180_000);
