// The browser tests' fixtures: a fresh merchant with a real test key per test (made with the lib
// functions against the stack's database), the sessions API through Playwright's request context,
// fresh funded devnet payers, and the session's own record (status, events) read from the database.
import "./stack";
import { randomBytes } from "node:crypto";
import { expect, test as base, type APIRequestContext } from "@playwright/test";
import { asc, eq } from "drizzle-orm";
import type { Address } from "viem";
import { checkouts, events, merchants } from "@/db/schema";
import { createApiKey } from "@/lib/api-keys/keys";
import { closeDb, db } from "@/lib/db/client";
import { createMerchant } from "@/lib/merchants/create-merchant";
import { newPayer, type Payer } from "./chain";
import { CHAINS, USDC, type DevnetName, type TokenSymbol } from "./stack";

export type Merchant = { merchantId: string; key: string; name: string };
export type Session = Record<string, any> & { sessionId: string; url: string; clientSecret: string; status: string };

export type Sessions = {
  /** POST /v1/sessions (USDC on the ethereum devnet unless `destination` says otherwise) */
  create(opts: { amountUnits: string; destination: Address } & Record<string, unknown>): Promise<Session>;
  /** GET /v1/sessions/{id} with the key (full view) */
  get(id: string): Promise<Session>;
  cancel(id: string): Promise<Session>;
  /** the session's event types in the order they were written (the events table) */
  eventTypes(id: string): Promise<string[]>;
};

export const test = base.extend<{
  merchant: Merchant;
  sessions: Sessions;
  payer: (tokens?: Partial<Record<DevnetName, Partial<Record<TokenSymbol, bigint>>>>) => Promise<Payer>;
}, { seedDb: void }>({
  seedDb: [async ({}, use) => {
    await use();
    await closeDb();
  }, { scope: "worker", auto: true }],

  // every test gets its own merchant, so tests never share state
  merchant: async ({}, use) => {
    const name = "Blue Harbor Coffee";
    const { merchantId } = await createMerchant({ name, email: `checkout-${randomBytes(6).toString("hex")}@test.local`, password: randomBytes(12).toString("base64url") });
    await db().update(merchants).set({ accentColor: "#0e7490" }).where(eq(merchants.id, merchantId));
    const { key } = await createApiKey(merchantId, false, "checkout e2e");
    await use({ merchantId, key, name });
  },

  sessions: async ({ request, merchant }, use) => {
    await use(sessionsApi(request, merchant));
  },

  payer: async ({}, use, testInfo) => {
    await use((tokens = {}) => newPayer(testInfo.workerIndex, tokens));
  },
});

export { expect };

function sessionsApi(request: APIRequestContext, m: Merchant): Sessions {
  const headers = { Authorization: `Bearer ${m.key}` };
  return {
    async create({ amountUnits, destination, ...extra }) {
      const res = await request.post("/v1/sessions", {
        headers,
        data: {
          destination: { type: "evm", address: destination, chainId: CHAINS.ethereum.chainId, tokenAddress: USDC, amountUnits },
          display: { title: "Order #1042", verb: "Pay" },
          ...extra,
        },
      });
      expect(res.status(), await res.text()).toBe(201);
      return (await res.json()).session as Session;
    },
    async get(id) {
      // a GET may be retried when a reused keep-alive socket turns out closed (ECONNRESET)
      const res = await request.get(`/v1/sessions/${id}`, { headers, maxRetries: 2 });
      expect(res.status(), await res.text()).toBe(200);
      return (await res.json()).session as Session;
    },
    async cancel(id) {
      const res = await request.post(`/v1/sessions/${id}/cancel`, { headers });
      expect(res.status(), await res.text()).toBe(200);
      return (await res.json()).session as Session;
    },
    async eventTypes(id) {
      const rows = await db().select({ type: events.type }).from(events).where(eq(events.objectId, id)).orderBy(asc(events.createdAt), asc(events.id));
      return rows.map((r) => r.type);
    },
  };
}

/** The session's row as the worker left it (for what the API does not show, like the chosen chain). */
export async function checkoutRow(id: string) {
  const [row] = await db().select().from(checkouts).where(eq(checkouts.id, id));
  return row;
}
