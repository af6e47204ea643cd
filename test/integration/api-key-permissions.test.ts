// Restricted secret keys (issue 20: API keys with scopes): per resource none, read or write,
// refused before anything is read or written, in the error shape of the path's dialect; full keys
// and keys made before scopes are unaffected.
import { and, count, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { checkouts, withdrawals } from "@/db/schema";
import { createApiKey } from "@/lib/api-keys/keys";
import { RESOURCES, type Permissions } from "@/lib/api-keys/permissions";
import { db } from "@/lib/db/client";
import { api, newMerchant } from "../helpers/api";

const USDC = "0x6D1A70703E4C7Cf35E2BE3B9DdED28401a915553";
const PAYEE = "0xd8dA6BF26964aF9D7eEd9e03E53415D37aA96045";
const sessionBody = { destination: { type: "evm", address: PAYEE, chainId: 31337, tokenAddress: USDC, amountUnits: "1" } };
const none = Object.fromEntries(Object.keys(RESOURCES).map((r) => [r, "none"])) as Permissions;
const sessionsOf = async (merchantId: string) => (await db().select({ n: count() }).from(checkouts).where(eq(checkouts.merchantId, merchantId)))[0].n;

describe("restricted API keys", () => {
  it("read allows GET, write the rest; everything else is a 403 permission_error and writes nothing", async () => {
    const m = await newMerchant("Scoped merchant");
    const { key: reader } = await createApiKey(m.merchantId, false, "reader", { ...none, sessions: "read" });
    const { key: writer } = await createApiKey(m.merchantId, false, "writer", { ...none, sessions: "write" });

    const created = await api(writer).post("/v1/sessions", sessionBody);
    expect(created.status, created.text).toBe(201);
    const id = created.json.session.sessionId;

    expect((await api(reader).get(`/v1/sessions/${id}`)).status).toBe(200);
    expect((await api(reader).get("/v1/sessions")).status).toBe(200);
    const before = await sessionsOf(m.merchantId);
    const refused = await api(reader).post("/v1/sessions", sessionBody);
    expect(refused.status).toBe(403);
    expect(refused.json.error).toMatchObject({ type: "permission_error", code: "insufficient_permissions", param: null });
    expect(refused.json.error.message).toContain("read-only access to checkout sessions");
    expect((await api(reader).post(`/v1/sessions/${id}/cancel`, {})).status).toBe(403);
    expect(await sessionsOf(m.merchantId)).toBe(before);
    const [row] = await db().select({ status: checkouts.status }).from(checkouts).where(eq(checkouts.id, id));
    expect(row.status).not.toBe("expired");

    // no access at all to other resources, whatever the method
    const hooks = await api(writer).get("/v1/webhook-endpoints");
    expect(hooks.status).toBe(403);
    expect(hooks.json.error.message).toContain("no access to webhook endpoints");
    // endpoints outside the resources need only a valid key
    expect((await api(reader).get("/v1/currencies")).status).toBe(200);
    // a full key is unaffected
    expect((await api(m.key).get("/v1/webhook-endpoints")).status).toBe(200);
  });

  it("seed dialects answer in their own error shapes, and a read-only POST (seed 002's list) needs only read", async () => {
    const m = await newMerchant("Scoped seed merchant");
    const { key } = await createApiKey(m.merchantId, false, "deposits reader", { ...none, deposits: "read" });

    const send = await api(key).post("/v1/withdrawal/send", { user_id: "u1", query_id: "q1", currency: "eUSDC", amount: "1", destination: PAYEE });
    expect(send.status).toBe(403);
    expect(send.json).toMatchObject({ code: "insufficient_permissions", param: null });
    expect(typeof send.json.error).toBe("string"); // seed 001: the message as `error`
    expect(await db().select().from(withdrawals).where(and(eq(withdrawals.merchantId, m.merchantId)))).toHaveLength(0);

    const create = await api(key).post("/v2/deposit_address/create", { currency: "USDC", network: "ethereum" });
    expect(create.status).toBe(403);
    expect(create.json).toMatchObject({ status: "error", code: "insufficient_permissions" });

    const list = await api(key).post("/v2/deposit_address/list", {});
    expect(list.status, list.text).toBe(200);
  });
});
