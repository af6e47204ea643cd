// The hosted checkout may be framed only by the sites its merchant lists (issue 14: "the
// checkout's frame-ancestors configurable per merchant for embedding"); every other page, and
// every other merchant's checkout, is never framed.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { merchants } from "@/db/schema";
import { db } from "@/lib/db/client";
import { api, baseUrl, newMerchant } from "../helpers/api";
import { ethereum, freshAddress, tokenOn } from "./helpers/forwarding-fixtures";

const USDC = tokenOn(ethereum, "USDC");

async function newSession(key: string): Promise<string> {
  const r = await api(key).post("/v1/sessions", {
    destination: { type: "evm", address: freshAddress(), chainId: ethereum.chainId, tokenAddress: USDC.address, amountUnits: "1" },
  });
  expect(r.status, r.text).toBe(201);
  return r.json.session.sessionId as string;
}

const frameAncestors = async (path: string) => {
  const res = await fetch(baseUrl() + path, { redirect: "manual" });
  await res.arrayBuffer();
  const csp = res.headers.get("content-security-policy") ?? "";
  return /frame-ancestors ([^;]+)/.exec(csp)?.[1] ?? null;
};

describe("embedding the hosted checkout", () => {
  it("lets only the merchant's listed origins frame its checkout; nothing else is ever framed", async () => {
    const shop = await newMerchant("Embedding shop");
    const other = await newMerchant("Other shop");
    await db().update(merchants).set({ checkoutEmbedOrigins: ["https://shop.example.com", "http://localhost:5173"] }).where(eq(merchants.id, shop.merchantId));
    const mine = await newSession(shop.key);
    const theirs = await newSession(other.key);
    const { checkoutEmbedOrigins } = await import("@/lib/security/embed-origins");
    expect(await checkoutEmbedOrigins(mine)).toEqual(["https://shop.example.com", "http://localhost:5173"]);
    expect(await frameAncestors(`/checkout/${mine}`)).toBe("https://shop.example.com http://localhost:5173");
    expect(await frameAncestors(`/checkout/${theirs}`)).toBe("'none'");
    expect(await frameAncestors("/checkout/00000000-0000-4000-8000-000000000000")).toBe("'none'");
    expect(await frameAncestors("/sign-in")).toBe("'none'");
    expect(await frameAncestors("/dashboard")).toBe("'none'");
  });
});
