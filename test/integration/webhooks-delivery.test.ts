// Delivery behaviour against receivers on 127.0.0.1, on a database and worker of this file's own
// with a fast retry schedule (0.3 s), a 700 ms timeout and a 2 s stale-lock release; signatures are
// checked with the independent standardwebhooks library.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { webhookAttempts, webhookDeliveries, webhookEndpoints } from "@/db/schema";
import { createApiKey } from "@/lib/api-keys/keys";
import { db } from "@/lib/db/client";
import { freePorts } from "@/lib/devnet/evm";
import { emit } from "@/lib/events/emit";
import { createMerchant } from "@/lib/merchants/create-merchant";
import { createEndpoint, deleteEndpoint } from "@/lib/webhooks/endpoints";
import { ownWorld, startReceiver, verify, waitFor, type OwnWorld, type Receiver, type WorkerProc } from "./webhooks-helpers";

let world: OwnWorld;
let worker: WorkerProc;
const receivers: Receiver[] = [];

beforeAll(async () => {
  world = await ownWorld("delivery", {
    TOLLGATE_WEBHOOK_RETRY_SCHEDULE: "0.3",
    TOLLGATE_WEBHOOK_TIMEOUT_MS: "700",
    TOLLGATE_WEBHOOK_STALE_LOCK_SECONDS: "2",
    TOLLGATE_WEBHOOK_DISABLE_AFTER: "4",
    TOLLGATE_WEBHOOK_GIVE_UP_AFTER: "60",
    TOLLGATE_WEBHOOK_POLL_MS: "100",
  });
  worker = world.startWorker("first");
}, 120_000);

afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  await world?.stop();
});

async function setup(url: string) {
  const { merchantId } = await createMerchant({ name: "Hooks", email: `h-${Math.random().toString(36).slice(2)}@test.local`, password: "password-123456" });
  await createApiKey(merchantId, false, "test");
  const ep = await createEndpoint({ merchantId, livemode: false }, { url });
  return { merchantId, ep };
}

async function fire(merchantId: string, objectId = "obj_1") {
  const [ev] = await db().transaction((tx) => emit(tx, [{
    merchantId, livemode: false, type: "session.succeeded", objectType: "session", objectId, data: { sessionId: objectId, status: "succeeded" },
  }]));
  return ev;
}

async function receiver(reply: Receiver["reply"], port?: number) {
  const r = await startReceiver(reply, port);
  receivers.push(r);
  return r;
}

const deliveryOf = async (eventId: string) => (await db().select().from(webhookDeliveries).where(eq(webhookDeliveries.eventId, eventId)))[0];
const attemptsOf = (deliveryId: string) => db().select().from(webhookAttempts).where(eq(webhookAttempts.deliveryId, deliveryId)).orderBy(webhookAttempts.id);

describe("webhook delivery", () => {
  it("receiver fails 3 times then succeeds: 4 attempts, one webhook-id, every signature valid", async () => {
    const r = await receiver((n) => (n < 3 ? { status: n === 1 ? 429 : 503, body: `no ${n}` } : { status: 200, body: "thanks" }));
    const { merchantId, ep } = await setup(r.url);
    const ev = await fire(merchantId);
    const d = await waitFor("the delivery to succeed", async () => { const x = await deliveryOf(ev.id); return x?.status === "succeeded" && x; }, 30_000);
    expect(r.received).toHaveLength(4);
    const ids = new Set(r.received.map((x) => x.headers["webhook-id"]));
    expect([...ids]).toEqual([d.id]);
    for (const x of r.received) {
      const payload = verify(ep.secret, x) as { id: string; type: string; data: { object: { sessionId: string } } };
      expect(payload).toMatchObject({ id: ev.id, type: "session.succeeded", livemode: false, data: { object: { sessionId: "obj_1" } } });
      expect(x.headers["content-type"]).toBe("application/json");
    }
    const attempts = await attemptsOf(d.id);
    expect(attempts.map((a) => [a.statusCode, a.outcome])).toEqual([[503, "retry"], [429, "retry"], [503, "retry"], [200, "succeeded"]]);
    expect(attempts[0].responseBody).toBe("no 0");
    expect(attempts.every((a) => a.latencyMs >= 0)).toBe(true);
    expect(d.attemptCount).toBe(4);
    // a success ends the failure run
    const [after] = await db().select().from(webhookEndpoints).where(eq(webhookEndpoints.id, ep.id));
    expect(after.failingSince).toBeNull();
  }, 60_000);

  it("keeps only the first KB of a response body", async () => {
    const r = await receiver(() => ({ status: 200, body: "x".repeat(5000) }));
    const { merchantId } = await setup(r.url);
    const ev = await fire(merchantId);
    const d = await waitFor("success", async () => { const x = await deliveryOf(ev.id); return x?.status === "succeeded" && x; });
    expect((await attemptsOf(d.id))[0].responseBody).toHaveLength(1024);
  });

  it("receiver down for a while, then back: delivered once it is up", async () => {
    const [port] = await freePorts(1);
    const { merchantId } = await setup(`http://127.0.0.1:${port}/hook`);
    const ev = await fire(merchantId);
    const d = await waitFor("two refused attempts", async () => { const x = await deliveryOf(ev.id); return x && (await attemptsOf(x.id)).length >= 2 && x; });
    const failed = await attemptsOf(d.id);
    expect(failed[0]).toMatchObject({ statusCode: null, outcome: "retry" });
    expect(failed[0].error).toMatch(/ECONNREFUSED/);
    const r = await receiver(() => ({ status: 204 }), port);
    await waitFor("success", async () => (await deliveryOf(ev.id))?.status === "succeeded");
    expect(r.received).toHaveLength(1);
    expect(r.received[0].headers["webhook-id"]).toBe(d.id);
  }, 60_000);

  it("slow receiver: the attempt times out and the retry succeeds", async () => {
    const r = await receiver((n) => (n === 0 ? { status: 200, delayMs: 3000 } : { status: 200, body: "fast" }));
    const { merchantId, ep } = await setup(r.url);
    const ev = await fire(merchantId);
    const d = await waitFor("success", async () => { const x = await deliveryOf(ev.id); return x?.status === "succeeded" && x; }, 30_000);
    const attempts = await attemptsOf(d.id);
    expect(attempts[0].error).toMatch(/timed out after 700 ms/);
    expect(attempts[0].outcome).toBe("retry");
    expect(attempts.at(-1)).toMatchObject({ statusCode: 200, outcome: "succeeded" });
    expect(r.received.length).toBeGreaterThanOrEqual(2);
    for (const x of r.received) { expect(x.headers["webhook-id"]).toBe(d.id); verify(ep.secret, x); }
  }, 60_000);

  it("4xx fails without retry; a redirect is not followed and not retried", async () => {
    const target = await receiver(() => ({ status: 200 }));
    const r400 = await receiver(() => ({ status: 400, body: "bad" }));
    const r302 = await receiver(() => ({ status: 302, headers: { location: target.url } }));
    const a = await setup(r400.url);
    const b = await setup(r302.url);
    const ea = await fire(a.merchantId);
    const eb = await fire(b.merchantId);
    await waitFor("both to fail", async () => (await deliveryOf(ea.id))?.status === "failed" && (await deliveryOf(eb.id))?.status === "failed");
    await new Promise((res) => setTimeout(res, 1000));
    expect(r400.received).toHaveLength(1);
    expect(r302.received).toHaveLength(1);
    expect(target.received).toHaveLength(0);
    const [att] = await attemptsOf((await deliveryOf(eb.id)).id);
    expect(att).toMatchObject({ statusCode: 302, outcome: "failed" });
    expect(att.error).toContain("not followed");
  }, 30_000);

  it("a rolled-back change sends nothing", async () => {
    const r = await receiver(() => ({ status: 200 }));
    const { merchantId } = await setup(r.url);
    await expect(db().transaction(async (tx) => {
      await emit(tx, [{ merchantId, livemode: false, type: "session.expired", objectType: "session", objectId: "rolled", data: {} }]);
      throw new Error("abort");
    })).rejects.toThrow("abort");
    const ev = await fire(merchantId, "committed");
    await waitFor("the committed event", async () => (await deliveryOf(ev.id))?.status === "succeeded");
    await new Promise((res) => setTimeout(res, 500));
    expect(r.received.map((x) => JSON.parse(x.body).data.object.sessionId)).toEqual(["committed"]);
  });

  it("worker SIGKILLed during a delivery: delivered after a restart", async () => {
    let hang = true;
    const r = await receiver(() => (hang ? "hang" : { status: 200 }));
    const { merchantId, ep } = await setup(r.url);
    const ev = await fire(merchantId);
    await waitFor("the request to arrive", () => r.received.length > 0);
    await worker.kill("SIGKILL");
    hang = false;
    const d = await deliveryOf(ev.id);
    expect(d.status).toBe("pending");
    expect(await attemptsOf(d.id)).toHaveLength(0);
    worker = world.startWorker("restarted");
    await waitFor("success after the restart", async () => (await deliveryOf(ev.id))?.status === "succeeded", 30_000);
    expect(r.received.length).toBeGreaterThanOrEqual(2);
    for (const x of r.received) { expect(x.headers["webhook-id"]).toBe(d.id); verify(ep.secret, x); }
  }, 60_000);

  it("an endpoint failing continuously past the limit is disabled, with a reason", async () => {
    const r = await receiver(() => ({ status: 500 }));
    const { merchantId, ep } = await setup(r.url);
    await fire(merchantId);
    const disabled = await waitFor("the endpoint to be disabled", async () => {
      const [x] = await db().select().from(webhookEndpoints).where(eq(webhookEndpoints.id, ep.id));
      return !x.enabled && x;
    }, 30_000);
    expect(disabled.disabledReason).toMatch(/^Every delivery failed since/);
    expect(disabled.disabledAt).toBeInstanceOf(Date);
    // nothing more goes out to a disabled endpoint
    const ev2 = await fire(merchantId, "after");
    await new Promise((res) => setTimeout(res, 1000));
    expect(await deliveryOf(ev2.id)).toBeUndefined();
  }, 60_000);

  it("a deleted endpoint gets nothing more: its pending retries are not sent, a kept one's are", async () => {
    const r = await receiver(() => ({ status: 503 }));
    const kept = await receiver(() => ({ status: 503 }));
    const { merchantId, ep } = await setup(r.url);
    await createEndpoint({ merchantId, livemode: false }, { url: kept.url });
    const ev = await fire(merchantId, "deleted");
    await waitFor("both first attempts", () => r.received.length >= 1 && kept.received.length >= 1);
    await deleteEndpoint({ merchantId, livemode: false }, ep.id);
    const sent = r.received.length;
    // the kept endpoint's retries go on (so the deleted one's would have too)
    await waitFor("retries to the kept endpoint", () => kept.received.length >= 4, 15_000);
    // at most an attempt already on the wire when it was deleted
    expect(r.received.length).toBeLessThanOrEqual(sent + 1);
    const left = await db().select().from(webhookDeliveries).where(eq(webhookDeliveries.eventId, ev.id));
    expect(left.map((d) => d.endpointId)).not.toContain(ep.id);
  }, 30_000);
});
