// Webhooks API (API.md §4) through the real stack over HTTP with real keys, delivering to
// receivers on 127.0.0.1 (the stack's worker: first attempts are immediate); signatures are
// verified with the standardwebhooks library.
import { afterAll, describe, expect, it } from "vitest";
import { api, envelope, newMerchant } from "../helpers/api";
import { startReceiver, verify, waitFor, type Receiver } from "./webhooks-helpers";

const USDC = "0x6D1A70703E4C7Cf35E2BE3B9DdED28401a915553";
const PAYEE = "0xd8dA6BF26964aF9D7eEd9e03E53415D37aA96045";
const receivers: Receiver[] = [];
afterAll(async () => { await Promise.all(receivers.map((r) => r.close())); });

async function receiver() {
  const r = await startReceiver();
  receivers.push(r);
  return r;
}

describe("webhook endpoints API", () => {
  it("creates (secret once), lists, gets (masked), updates, deletes; scoped per merchant and mode", async () => {
    const m = await newMerchant();
    const c = api(m.key);
    const r = await c.post("/v1/webhook-endpoints", { url: "https://example.com/hook", events: ["session.succeeded", "session.expired"], description: "orders" });
    expect(r.status, r.text).toBe(201);
    const ep = r.json;
    expect(ep).toMatchObject({ object: "webhook_endpoint", url: "https://example.com/hook", events: ["session.expired", "session.succeeded"], enabled: true, livemode: false, description: "orders" });
    expect(ep.id).toMatch(/^we_[0-9A-Za-z]{24}$/);
    expect(ep.secret).toMatch(/^whsec_[A-Za-z0-9+/]+={0,2}$/);
    expect(Buffer.from(ep.secret.slice(6), "base64").length).toBeGreaterThanOrEqual(24);

    const got = await c.get(`/v1/webhook-endpoints/${ep.id}`);
    expect(got.status).toBe(200);
    expect(got.json.secret).not.toBe(ep.secret);
    expect(got.json.secret).toMatch(/^whsec_•+/);
    expect(got.json.secret.endsWith(ep.secret.slice(-4))).toBe(true);
    const list = await c.get("/v1/webhook-endpoints");
    expect(list.json.data.map((e: { id: string }) => e.id)).toEqual([ep.id]);
    expect(list.text).not.toContain(ep.secret);

    const patched = await c.patch(`/v1/webhook-endpoints/${ep.id}`, { enabled: false, events: ["*"] });
    expect(patched.json).toMatchObject({ enabled: false, events: ["*"] });

    // another merchant and the same merchant's live key see nothing
    const other = await newMerchant();
    expect((await api(other.key).get(`/v1/webhook-endpoints/${ep.id}`)).status).toBe(404);
    expect((await api(m.liveKey).get(`/v1/webhook-endpoints/${ep.id}`)).status).toBe(404);
    expect((await api(m.liveKey).delete(`/v1/webhook-endpoints/${ep.id}`)).status).toBe(404);
    // another merchant's delete: the same answer as an id that does not exist, and nothing deleted
    const theirs = await api(other.key).delete(`/v1/webhook-endpoints/${ep.id}`);
    const unknown = await api(other.key).delete(`/v1/webhook-endpoints/we_${"0".repeat(24)}`);
    expect(theirs.status).toBe(404);
    expect(envelope(theirs)).toEqual(envelope(unknown));
    expect((await c.get(`/v1/webhook-endpoints/${ep.id}`)).status).toBe(200);

    const del = await c.delete(`/v1/webhook-endpoints/${ep.id}`);
    expect(del.json).toEqual({ id: ep.id, object: "webhook_endpoint", deleted: true });
    expect((await c.get(`/v1/webhook-endpoints/${ep.id}`)).status).toBe(404);
  });

  it("validates input", async () => {
    const c = api((await newMerchant()).key);
    for (const body of [{ url: "ftp://example.com" }, { url: "not a url" }, { url: "https://example.com", events: ["nope"] }, { url: "https://example.com", extra: 1 }]) {
      const r = await c.post("/v1/webhook-endpoints", body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(envelope(r).type).toBe("validation_error");
    }
  });

  it("live mode refuses private, loopback and link-local URLs at creation; test mode allows them", async () => {
    const m = await newMerchant();
    const live = api(m.liveKey);
    for (const url of ["http://localhost/x", "http://127.0.0.1/x", "http://10.1.2.3/x", "http://172.16.5.4/x", "http://192.168.0.10/x",
      "http://169.254.169.254/latest/meta-data", "http://[::1]/x", "http://[fd00::1]/x", "http://[fe80::1]/x", "http://[::ffff:127.0.0.1]/x", "http://0.0.0.0/x"]) {
      const r = await live.post("/v1/webhook-endpoints", { url });
      expect(r.status, url).toBe(400);
      expect(envelope(r)).toMatchObject({ code: "url_not_allowed", param: "url" });
    }
    const ok = await live.post("/v1/webhook-endpoints", { url: "https://93.184.216.34/hook" });
    expect(ok.status).toBe(201);
    expect(ok.json.livemode).toBe(true);
    const ep = ok.json.id;
    expect((await live.patch(`/v1/webhook-endpoints/${ep}`, { url: "http://127.0.0.1:9/x" })).status).toBe(400);
    expect((await api(m.key).post("/v1/webhook-endpoints", { url: "http://127.0.0.1:9/x" })).status).toBe(201);
  });

  it("test event: delivered, signed, logged; then redelivered with the same webhook-id", async () => {
    const m = await newMerchant();
    const c = api(m.key);
    const r = await receiver();
    const ep = (await c.post("/v1/webhook-endpoints", { url: r.url, events: ["session.succeeded"] })).json;
    const t = await c.post(`/v1/webhook-endpoints/${ep.id}/test`, {});
    expect(t.status, t.text).toBe(200);
    expect(t.json.event).toMatchObject({ type: "webhook.test", livemode: false, data: { object: { id: ep.id } } });
    await waitFor("the test event", () => r.received.length === 1);
    const payload = verify(ep.secret, r.received[0]) as { id: string };
    expect(payload.id).toBe(t.json.event.id);
    expect(r.received[0].headers["webhook-id"]).toBe(t.json.delivery.id);

    const evId = t.json.event.id;
    expect((await c.get(`/v1/events/${evId}`)).json).toEqual(payload);
    const list = await c.get("/v1/events?type=webhook.test");
    expect(list.json.data.map((e: { id: string }) => e.id)).toEqual([evId]);
    const deliveries = await waitFor("the logged attempt", async () => {
      const d = await c.get(`/v1/events/${evId}/deliveries`);
      return d.json.data[0]?.status === "succeeded" && d.json.data;
    });
    expect(deliveries[0].attempts).toHaveLength(1);
    expect(deliveries[0].attempts[0]).toMatchObject({ statusCode: 200, outcome: "succeeded", responseBody: "ok", manual: true });
    expect(deliveries[0].attempts[0].requestHeaders["webhook-id"]).toBe(deliveries[0].id);

    const re = await c.post(`/v1/events/${evId}/redeliver`, {});
    expect(re.status, re.text).toBe(200);
    await waitFor("the redelivery", () => r.received.length === 2);
    expect(r.received[1].headers["webhook-id"]).toBe(r.received[0].headers["webhook-id"]);
    verify(ep.secret, r.received[1]);
    const after = await waitFor("two attempts", async () => {
      const d = await c.get(`/v1/events/${evId}/deliveries`);
      return d.json.data[0]?.attempts.length === 2 && d.json.data[0];
    });
    expect(after.status).toBe("succeeded");
    // scoped: the live key and other merchants get 404
    expect((await api(m.liveKey).get(`/v1/events/${evId}`)).status).toBe(404);
    expect((await api(m.liveKey).post(`/v1/events/${evId}/redeliver`, {})).status).toBe(404);
  });

  it("rotation: both secrets sign for 24 h, each verifies on its own", async () => {
    const m = await newMerchant();
    const c = api(m.key);
    const r = await receiver();
    const ep = (await c.post("/v1/webhook-endpoints", { url: r.url })).json;
    const rot = await c.post(`/v1/webhook-endpoints/${ep.id}/rotate`, {});
    expect(rot.status).toBe(200);
    expect(rot.json.secret).toMatch(/^whsec_/);
    expect(rot.json.secret).not.toBe(ep.secret);
    await c.post(`/v1/webhook-endpoints/${ep.id}/test`, {});
    await waitFor("the test event", () => r.received.length === 1);
    expect(String(r.received[0].headers["webhook-signature"]).split(" ")).toHaveLength(2);
    verify(rot.json.secret, r.received[0]);
    verify(ep.secret, r.received[0]);
    expect(() => verify(`whsec_${Buffer.alloc(32, 1).toString("base64")}`, r.received[0])).toThrow();
  });

  it("a real state change: cancelling a session delivers session.expired, signed", async () => {
    const m = await newMerchant();
    const c = api(m.key);
    const r = await receiver();
    const all = await receiver();
    const ep = (await c.post("/v1/webhook-endpoints", { url: r.url, events: ["session.expired"] })).json;
    const other = (await c.post("/v1/webhook-endpoints", { url: all.url, events: ["session.succeeded"] })).json;
    const s = await c.post("/v1/sessions", { destination: { type: "evm", address: PAYEE, chainId: 31337, tokenAddress: USDC, amountUnits: "5" } });
    expect(s.status, s.text).toBe(201);
    const cancel = await c.post(`/v1/sessions/${s.json.session.sessionId}/cancel`, {});
    expect(cancel.status, cancel.text).toBe(200);
    await waitFor("session.expired", () => r.received.length === 1);
    const payload = verify(ep.secret, r.received[0]) as { type: string; data: { object: { sessionId: string; status: string } } };
    expect(payload.type).toBe("session.expired");
    expect(payload.data.object.sessionId).toBe(s.json.session.sessionId);
    expect(all.received).toHaveLength(0);
    expect(other.id).toBeDefined();
  });
});
