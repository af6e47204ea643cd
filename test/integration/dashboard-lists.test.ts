// The dashboard's Sessions and Payments lists filtered by status, exception (needs attention, paid
// late, wrong asset, overpaid …), network and creation date, combined with the search, against
// real PostgreSQL: checkouts, receivers and deposits are written as the engine leaves them (rows
// only; what the lists read), so each filter's SQL is checked against the facts it names.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { checkouts, deposits, payments, receivers } from "@/db/schema";
import { db } from "@/lib/db/client";
import { parseListFilters, NO_FILTERS, type ListFilters } from "@/lib/dashboard/list-filters";
import { listDashboardPayments } from "@/lib/dashboard/payments/list-payments";
import { listDashboardSessions } from "@/lib/dashboard/sessions/list-sessions";
import type { PaymentStatus } from "@/lib/payments/schemas";
import { newMerchant } from "../helpers/api";
import { USDC, USDT } from "./helpers/watcher";

const DESTINATION = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed";
const hex = (n: number) => `0x${randomBytes(n).toString("hex")}`;

type Facts = {
  kind?: "session" | "payment";
  network?: string;
  status: (typeof checkouts.$inferInsert)["status"];
  exception?: (typeof checkouts.$inferInsert)["exception"];
  createdAt?: Date;
  title: string;
  deposits?: { token: string | null; assetCode: string; status: "seen" | "confirmed"; late?: boolean }[];
};

async function checkout(merchantId: string, f: Facts): Promise<string> {
  const [c] = await db().insert(checkouts).values({
    merchantId, livemode: false, kind: f.kind ?? "session", status: f.status, exception: f.exception ?? null,
    network: f.network ?? "ethereum", chainId: 31337, tokenAddress: USDC, tokenSymbol: "USDC", tokenDecimals: 6, amountUnits: 25_000_000n,
    destinationAddress: DESTINATION, displayTitle: f.title, clientSecret: hex(16), expiresAt: new Date(Date.now() + 3600_000),
    ...(f.createdAt ? { createdAt: f.createdAt } : {}),
  }).returning();
  if (f.deposits?.length) {
    // a receiver no watcher looks at any more (watched until yesterday), far above any derived index
    const [r] = await db().insert(receivers).values({
      merchantId, livemode: false, family: "evm", address: hex(20), checkoutId: c.id,
      derivationIndex: 9_000_000_000_000n + BigInt(randomBytes(4).readUInt32BE()), watchUntil: new Date(Date.now() - 86_400_000),
    }).returning();
    for (const d of f.deposits) {
      await db().insert(deposits).values({
        merchantId, livemode: false, network: f.network ?? "ethereum", chainId: 31337, txHash: hex(32), logIndex: d.token ? 0 : -1,
        blockNumber: 1n, blockHash: hex(32), fromAddress: hex(20), toAddress: r.address, tokenAddress: d.token, assetCode: d.assetCode,
        amount: d.token ? 5_000_000n : 10n ** 15n, status: d.status, receiverId: r.id, checkoutId: c.id, late: d.late ?? false,
      });
    }
  }
  return c.id;
}

describe("dashboard list filters", () => {
  it("sessions and payments filter by status, exception, network and date, with the search; the URL round-trips", async () => {
    const m = await newMerchant("Filters");
    const id = m.merchantId;
    // partly paid, still open (needs attention: accept)
    const partly = await checkout(id, { status: "waiting_payment", title: "Partly", deposits: [{ token: USDC, assetCode: "eUSDC", status: "seen" }] });
    // paid after it expired
    const late = await checkout(id, { status: "expired", exception: "paid_late", title: "Late", deposits: [{ token: USDC, assetCode: "eUSDC", status: "confirmed", late: true }] });
    // ETH sent to a USDC session before it expired: recorded, not counted
    const eth = await checkout(id, { status: "expired", title: "Ether instead", deposits: [{ token: null, assetCode: "ETH", status: "confirmed" }] });
    // USDT pays a USDC session (another USD stablecoin): not a wrong asset
    const usdt = await checkout(id, { status: "waiting_payment", title: "Tether", deposits: [{ token: USDT, assetCode: "eUSDT", status: "seen" }] });
    // an old overpaid one on Polygon
    const old = await checkout(id, { status: "succeeded", exception: "overpaid", network: "polygon", title: "Old", createdAt: new Date("2025-01-10T12:00:00Z") });
    const fresh = await checkout(id, { status: "requires_payment_method", title: "Fresh" });

    const sessions = async (filters: Partial<ListFilters>, extra: { q?: string; status?: "expired" | "waiting_payment" } = {}) =>
      (await listDashboardSessions(id, { livemode: false, filters: { ...NO_FILTERS, ...filters }, ...extra })).items.map((s) => s.id).sort();
    const sorted = (...ids: string[]) => ids.sort();

    expect(await sessions({})).toEqual(sorted(partly, late, eth, usdt, old, fresh));
    expect(await sessions({ exception: "attention" })).toEqual(sorted(partly, late, eth, usdt));
    expect(await sessions({ exception: "paid_late" })).toEqual([late]);
    expect(await sessions({ exception: "other_asset" })).toEqual([eth]);
    expect(await sessions({ exception: "overpaid" })).toEqual([old]);
    expect(await sessions({ network: "polygon" })).toEqual([old]);
    expect(await sessions({ from: "2025-01-10", to: "2025-01-10" })).toEqual([old]);
    expect(await sessions({ to: "2025-01-09" })).toEqual([]);
    expect(await sessions({ from: "2025-01-11" })).toEqual(sorted(partly, late, eth, usdt, fresh));
    // combined with the status and the search
    expect(await sessions({ exception: "attention" }, { status: "expired" })).toEqual(sorted(late, eth));
    expect(await sessions({ exception: "attention", network: "ethereum" }, { q: "instead" })).toEqual([eth]);

    // the URL: unknown values are dropped, not errors
    expect(parseListFilters({ exception: "nope", network: "mars", from: "2025-02-31", to: "2025-03-01" }))
      .toEqual({ exception: null, network: null, from: null, to: "2025-03-01" });

    // payments: seed-004 statuses from the stage before submission and the checkout after it
    const newPayment = async (checkoutId: string | null, stage: "new" | "submitted" | "expired" = checkoutId ? "submitted" : "new") => {
      const [p] = await db().insert(payments).values({
        merchantId: id, livemode: false, clientPaymentId: `order-${hex(3)}`, expirationMinutes: 60, expiresAt: new Date(Date.now() + 3600_000),
        stage, checkoutId, displayCurrency: "USD", displayAmountCents: 2500n,
      }).returning();
      return p.id;
    };
    const pNew = await newPayment(null);
    const pExpired = await newPayment(null, "expired");
    const pOver = await newPayment(await checkout(id, { kind: "payment", status: "succeeded", exception: "overpaid", network: "polygon", title: "P over" }));
    // a payment counts only its own asset: USDT on a USDC payment is the wrong asset
    const pTether = await newPayment(await checkout(id, { kind: "payment", status: "waiting_payment", title: "P tether", deposits: [{ token: USDT, assetCode: "eUSDT", status: "seen" }] }));
    const pPaid = await newPayment(await checkout(id, { kind: "payment", status: "succeeded", title: "P paid" }));

    const paid = async (status: PaymentStatus | null, filters: Partial<ListFilters> = {}, q = "") =>
      (await listDashboardPayments(id, { livemode: false, status, q, filters: { ...NO_FILTERS, ...filters } })).items.map((p) => p.paymentId).sort();
    expect(await paid(null)).toEqual(sorted(pNew, pExpired, pOver, pTether, pPaid));
    expect(await paid("NEW")).toEqual([pNew]);
    expect(await paid("EXPIRED")).toEqual([pExpired]);
    expect(await paid("OVERPAID")).toEqual([pOver]);
    expect(await paid("DEPOSITED")).toEqual([pPaid]);
    expect(await paid("PENDING")).toEqual([pTether]);
    expect(await paid(null, { exception: "other_asset" })).toEqual([pTether]);
    expect(await paid(null, { network: "polygon" })).toEqual([pOver]);
    expect(await paid(null, { to: "2025-01-01" })).toEqual([]);
    expect(await paid("DEPOSITED", {}, pPaid.slice(0, 8))).toEqual([pPaid]);
    expect(await paid("NEW", {}, pPaid.slice(0, 8))).toEqual([]);
  });
});
