// Fixtures for the payments tests: a merchant that can take payments (settlement addresses on the
// devnet chains), the rate stand-in's prices, payers on the ethereum devnet, and waits on a
// payment's status as the API reports it.
import { and, asc, eq } from "drizzle-orm";
import { getAddress, type Address } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { expect, inject } from "vitest";
import { events, settlementAddresses } from "@/db/schema";
import { db } from "@/lib/db/client";
import { setStandInPrices } from "../../setup/rate-stand-in";
import { api, newMerchant, type TestMerchant } from "../../helpers/api";
import { newPayer, publicClient, waitFor } from "./watcher";

export const testEnv = inject("testEnv");
export const ETH_CHAIN_ID = 31337;

export type PaymentMerchant = TestMerchant & { settlement: Address };

export async function paymentMerchant(): Promise<PaymentMerchant> {
  const m = await newMerchant("Payments merchant");
  const settlement = privateKeyToAccount(generatePrivateKey()).address;
  for (const network of ["ethereum", "polygon"]) {
    await db().insert(settlementAddresses).values({ merchantId: m.merchantId, network, livemode: false, address: settlement });
  }
  return { ...m, settlement };
}

/** Prices on the stand-in that web and worker quote through (pairs like "USDT-CHF"). */
export const setPrices = (prices: Record<string, string | null>) => setStandInPrices(testEnv.ratesUrl, prices);

export async function createPayment(key: string, body: Record<string, unknown>) {
  const r = await api(key).post("/v1/payments", { clientPaymentId: `order-${Math.random().toString(36).slice(2)}`, ...body });
  expect(r.status, r.text).toBe(201);
  return r.json.paymentInfo;
}

export async function submit(key: string, paymentId: string, body: Record<string, unknown>) {
  const r = await api(key).patch(`/v1/payments/${paymentId}`, body);
  expect(r.status, r.text).toBe(200);
  return r.json.paymentInfo;
}

export async function getPayment(key: string, paymentId: string) {
  const r = await api(key).get(`/v1/payments/${paymentId}`);
  expect(r.status, r.text).toBe(200);
  return r.json.paymentInfo;
}

/** Polls GET until `pred` holds for the paymentInfo (the worker watches, evaluates and forwards). */
export function waitForPayment(key: string, paymentId: string, what: string, pred: (p: any) => boolean, timeoutMs = 45_000) {
  return waitFor(`payment ${paymentId}: ${what}`, async () => {
    const p = await getPayment(key, paymentId);
    return pred(p) ? p : undefined;
  }, timeoutMs, 250);
}

export async function paymentEventTypes(paymentId: string): Promise<string[]> {
  const rows = await db().select({ type: events.type }).from(events)
    .where(and(eq(events.objectId, paymentId), eq(events.objectType, "payment"))).orderBy(asc(events.createdAt));
  return rows.map((r) => r.type);
}

/** A payer on the ethereum devnet with `amount` of `token` minted to it. */
export async function ethPayer(token: Address, amount: bigint) {
  const payer = await newPayer(testEnv.rpcEthereum, ETH_CHAIN_ID, [{ token, amount }]);
  return {
    address: getAddress(payer.address),
    async pay(to: string, units: bigint) {
      const hash = await payer.send(token, getAddress(to), units);
      const receipt = await publicClient(testEnv.rpcEthereum).waitForTransactionReceipt({ hash, pollingInterval: 100 });
      expect(receipt.status).toBe("success");
      return hash;
    },
  };
}
