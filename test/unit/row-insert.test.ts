import { PgDialect } from "drizzle-orm/pg-core";
import { drizzle } from "drizzle-orm/node-postgres";
import { describe, expect, it } from "vitest";
import { checkouts, idempotencyKeys } from "@/db/schema";
import { rowInsert, statementName } from "@/lib/db/row-insert";

// A query builder over no connection: only used to render SQL.
const builder = drizzle.mock();
const dialect = new PgDialect();

const row: typeof checkouts.$inferSelect = {
  id: "7a0b3f5e-2c1d-4e8f-9a6b-1c2d3e4f5a6b", merchantId: "0f1e2d3c-4b5a-4968-8776-655443322110", livemode: false,
  kind: "session", status: "requires_payment_method", network: "ethereum", chainId: 31337,
  tokenAddress: "0x6D1A70703E4C7Cf35E2BE3B9DdED28401a915553", tokenSymbol: "USDC", tokenDecimals: 6,
  amountUnits: 25_000_000n, destinationAddress: "0xd8dA6BF26964aF9D7eEd9e03E53415D37aA96045", displayTitle: "Shop",
  displayVerb: "Pay", refundAddress: null, metadata: { orderId: "o-1", "ключ": "значение \"quoted\"" },
  clientSecret: "b4c1d2e3-f4a5-4b6c-8d7e-9f0a1b2c3d4e", successUrl: "https://shop.example/ok", cancelUrl: null,
  expiresAt: new Date("2026-11-21T12:00:00.123Z"), createdAt: new Date("2026-11-21T11:00:00.000Z"), updatedAt: new Date("2026-11-21T11:00:00.000Z"),
  paymentMethodType: null, paymentMethodChainId: null, paymentMethodTokenAddress: null, paymentMethodReceiverAddress: null,
  paymentMethodChosenAt: null, deliveryTxHash: null, deliveryReceivedUnits: 7n, exception: null, acceptedAt: null,
  quoteNetwork: null, quoteAsset: null, quoteUnits: null, quoteRate: null, quoteCurrency: null, quoteSource: null, quoteFetchedAt: null, quoteExpiresAt: null,
};

describe("rowInsert", () => {
  it("renders the same statement and parameters as drizzle's insert for a whole row", () => {
    const ours = rowInsert(checkouts, row);
    const theirs = dialect.sqlToQuery(builder.insert(checkouts).values(row).getSQL());
    expect(ours.text).toBe(theirs.sql);
    expect(ours.values).toEqual(theirs.params);
    // the encodings that matter: numeric as text, timestamps as ISO text, jsonb as JSON text
    expect(ours.values).toContain("25000000");
    expect(ours.values).toContain("2026-11-21T12:00:00.123Z");
    expect(ours.values).toContain(JSON.stringify(row.metadata));
  });

  it("omits undefined fields (the column's default applies) and reuses one text per column set", () => {
    const a = rowInsert(idempotencyKeys, { merchantId: row.merchantId, livemode: true, key: "k1", requestHash: "h" });
    const b = rowInsert(idempotencyKeys, { merchantId: row.merchantId, livemode: false, key: "k2", requestHash: "h2", responseBody: undefined });
    expect(a.text).toBe('insert into "idempotency_keys" ("merchant_id", "livemode", "key", "request_hash") values ($1, $2, $3, $4)');
    expect(b.text).toBe(a.text);
    expect(b.values).toEqual([row.merchantId, false, "k2", "h2"]);
    expect(statementName(a.text)).toBe(statementName(b.text));
    expect(statementName(a.text)).not.toBe(statementName(rowInsert(checkouts, row).text));
  });

  it("refuses a field that is not a column", () => {
    expect(() => rowInsert(idempotencyKeys, { merchantId: row.merchantId, livemode: true, key: "k", requestHash: "h", nope: 1 } as never))
      .toThrow(/not columns of the table: nope/);
  });
});
