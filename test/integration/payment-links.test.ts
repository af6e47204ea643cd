// Payment links (issue 20, no code) through the web process: the link's page, POST /pay/{id}/open
// for a fixed price (a new payment per use), a customer-entered amount on a one-off link (one
// payment, then always that one), refusals that write nothing, a deactivated link; one link is
// paid on the devnet through the payer's choice and settles like any payment.
import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { checkouts, paymentLinks, payments } from "@/db/schema";
import { db } from "@/lib/db/client";
import { listDashboardPayments } from "@/lib/dashboard/payments/list-payments";
import { createPaymentLink, setPaymentLinkActive } from "@/lib/payment-links/links";
import { api, envelope } from "../helpers/api";
import { ethPayer, paymentMerchant, setPrices, waitForPayment } from "./helpers/payments";
import { USDC } from "./helpers/watcher";

const paymentsOf = async (merchantId: string) => (await db().select({ n: sql<number>`count(*)::int` }).from(payments).where(eq(payments.merchantId, merchantId)))[0].n;

describe("payment links", () => {
  it("open payments at their price, or at the customer's amount once; refusals write nothing; a link is paid end to end", async () => {
    const m = await paymentMerchant();
    const scope = { merchantId: m.merchantId, livemode: false };
    await setPrices({ "USDC-DKK": "7.5" });

    // bad input names the field and stores nothing
    for (const [input, param] of [
      [{ title: " ", displayCurrency: "DKK", displayAmount: "75", reusable: true }, "title"],
      [{ title: "Tea", displayCurrency: "XYZ", displayAmount: "75", reusable: true }, "displayCurrency"],
      [{ title: "Tea", displayCurrency: "DKK", displayAmount: "7.555", reusable: true }, "displayAmount"],
      [{ title: "Tea", displayCurrency: "DKK", displayAmount: "0", reusable: true }, "displayAmount"],
    ] as const) {
      await expect(createPaymentLink(scope, input)).rejects.toMatchObject({ status: 400, param });
    }
    expect(await db().select().from(paymentLinks).where(eq(paymentLinks.merchantId, m.merchantId))).toEqual([]);

    const fixed = await createPaymentLink(scope, { title: "Tea, 250 g", displayCurrency: "DKK", displayAmount: "75", reusable: true });
    const invoice = await createPaymentLink(scope, { title: "Invoice 7", displayCurrency: "DKK", displayAmount: "", reusable: false });

    // the link's page shows it; nothing is created by looking
    const page = await api().get(`/pay/${fixed.id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain("Tea, 250 g");
    expect((await api().get("/pay/00000000-0000-4000-8000-000000000000")).status).toBe(404);
    expect(await paymentsOf(m.merchantId)).toBe(0);

    // a reusable link: a new payment each time, titled, priced, linked
    const a = await api().post(`/pay/${fixed.id}/open`, {});
    const b = await api().post(`/pay/${fixed.id}/open`, {});
    for (const r of [a, b]) expect(r.status, r.text).toBe(200);
    expect(a.json.paymentId).not.toBe(b.json.paymentId);
    expect(a.json.url).toMatch(new RegExp(`/checkout/${a.json.paymentId}$`));
    const made = await db().select().from(payments).where(eq(payments.paymentLinkId, fixed.id));
    expect(made.map((p) => [p.title, p.displayCurrency, p.displayAmountCents, p.stage]).sort()).toEqual([
      ["Tea, 250 g", "DKK", 7500n, "new"], ["Tea, 250 g", "DKK", 7500n, "new"],
    ]);
    expect((await db().select().from(paymentLinks).where(eq(paymentLinks.id, fixed.id)))[0].uses).toBe(2);

    // the customer's amount: required, checked, then one payment for good
    for (const [body, code] of [[{}, "parameter_missing"], [{ amount: "abc" }, "amount_invalid"], [{ amount: "-5" }, "amount_invalid"], [{ amount: "1", extra: 1 }, null]] as const) {
      const r = await api().post(`/pay/${invoice.id}/open`, body);
      expect(r.status, r.text).toBe(400);
      if (code) expect(envelope(r).code).toBe(code);
    }
    expect(await paymentsOf(m.merchantId)).toBe(2);
    const first = await api().post(`/pay/${invoice.id}/open`, { amount: "112.50" });
    expect(first.status, first.text).toBe(200);
    const again = await api().post(`/pay/${invoice.id}/open`, { amount: "1" });
    expect(again.json.paymentId).toBe(first.json.paymentId);
    expect((await db().select().from(payments).where(eq(payments.id, first.json.paymentId)))[0].displayAmountCents).toBe(11250n);

    // deactivated: opens nothing (410); the payments already opened go on
    expect(await setPaymentLinkActive(m.merchantId, fixed.id, false)).toBe(true);
    expect(await setPaymentLinkActive("00000000-0000-4000-8000-000000000000", fixed.id, true)).toBe(false); // not this merchant's
    const off = await api().post(`/pay/${fixed.id}/open`, {});
    expect(off.status).toBe(410);
    expect(envelope(off).code).toBe("payment_link_inactive");
    expect(await paymentsOf(m.merchantId)).toBe(3);

    // paid: the payer chooses USDC on Ethereum on the payment's page and pays 10 USDC (75 DKK at 7.5)
    const chosen = await api().post(`/checkout/${a.json.paymentId}/choice`, { depositCurrency: "USDC", network: "ETH" });
    expect(chosen.json, chosen.text).toEqual({ state: "checkout" });
    const [checkout] = await db().select().from(checkouts).where(and(eq(checkouts.id, a.json.paymentId)));
    expect(checkout).toMatchObject({ displayTitle: "Tea, 250 g", amountUnits: 10_000_000n });
    const payer = await ethPayer(USDC, 10_000_000n);
    const hash = await payer.pay(checkout.paymentMethodReceiverAddress!, 10_000_000n);
    await waitForPayment(m.key, a.json.paymentId, "DEPOSITED", (p) => p.status === "DEPOSITED");

    // found in the dashboard by what a merchant has at hand: the payer's tx hash (any case, with or
    // without 0x), the address it was paid to or from, the title, the order id; nothing else matches
    const found = async (q: string) => (await listDashboardPayments(m.merchantId, { livemode: false, q })).items.map((p) => p.paymentId).sort();
    expect(await found(hash)).toEqual([a.json.paymentId]);
    expect(await found(hash.slice(2).toUpperCase())).toEqual([a.json.paymentId]);
    expect(await found(checkout.paymentMethodReceiverAddress!.toLowerCase())).toEqual([a.json.paymentId]);
    expect(await found(payer.address)).toEqual([a.json.paymentId]);
    expect(await found("tea, 250")).toEqual([a.json.paymentId, b.json.paymentId].sort());
    expect(await found(`link-${invoice.id}-1`)).toEqual([first.json.paymentId]);
    expect(await found(`0x${"ab".repeat(32)}`)).toEqual([]);
    expect(await found("%")).toEqual([]);
  }, 90_000);
});
