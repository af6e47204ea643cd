// A paid checkout's receipt (the payer's printable record, GET /checkout/{id}/receipt): who was paid,
// for what, how much and when, and every transaction that paid it with an explorer link on live
// networks. The unguessable checkout id is the capability, as for the checkout page itself; nothing
// of the merchant's settlement (addresses, forwards) is shown.
import { and, asc, eq, inArray } from "drizzle-orm";
import { deposits, events, payments } from "@/db/schema";
import { db } from "@/lib/db/client";
import { assetSpec } from "@/lib/deposits/assets";
import { explorerTxUrl, networkLabel } from "@/lib/dashboard/sessions/chain-display";
import { getMerchantSettings } from "@/lib/merchants/settings";
import { findCheckoutById } from "@/lib/sessions/get-session";
import { assetDisplay } from "@/lib/money/format";
import { formatUnits, formatUnitsFixed } from "@/lib/money/units";
import type { MerchantBranding } from "@/components/checkout/types";

export type ReceiptView = {
  id: string;
  kind: "session" | "payment";
  livemode: boolean;
  title: string;
  merchant: MerchantBranding;
  /** null until the checkout succeeded: the page says it is not paid yet */
  paidAt: string | null;
  amount: string;
  asset: string;
  /** payments priced in a fiat currency */
  price: { amount: string; currency: string } | null;
  transactions: { network: string; asset: string; amount: string; txHash: string; explorerUrl: string | null; at: string }[];
};

const SUCCEEDED = ["session.succeeded", "payment.deposited", "payment.overpaid"];

export async function loadReceipt(id: string, branding: (s: Awaited<ReturnType<typeof getMerchantSettings>>) => MerchantBranding): Promise<ReceiptView | null> {
  const row = await findCheckoutById(id);
  if (!row) return null;
  const [settings, payment] = await Promise.all([
    getMerchantSettings(row.merchantId),
    row.kind === "payment" ? db().select().from(payments).where(eq(payments.checkoutId, row.id)).then((r) => r[0]) : Promise.resolve(undefined),
  ]);
  const objectIds = [row.id, ...(payment ? [payment.id] : [])];
  const [done] = row.status === "succeeded"
    ? await db().select({ at: events.createdAt }).from(events)
      .where(and(inArray(events.objectId, objectIds), inArray(events.type, SUCCEEDED))).orderBy(asc(events.createdAt)).limit(1)
    : [];
  // what paid it: confirmed deposits that counted (a payment after the end is not part of the sale)
  const paid = await db().select().from(deposits)
    .where(and(eq(deposits.checkoutId, row.id), eq(deposits.status, "confirmed"), eq(deposits.late, false)))
    .orderBy(asc(deposits.createdAt));
  return {
    id: row.id,
    kind: row.kind,
    livemode: row.livemode,
    title: payment?.title ?? row.displayTitle,
    merchant: branding(settings),
    paidAt: row.status === "succeeded" ? (done?.at ?? row.updatedAt).toISOString() : null,
    // exact decimal text: the page formats it in the payer's language (lib/money/format through i18n)
    amount: formatUnits(row.amountUnits, row.tokenDecimals),
    asset: row.tokenSymbol,
    price: payment && payment.displayAmountCents !== null && payment.displayCurrency
      ? { amount: formatUnitsFixed(payment.displayAmountCents, 2, 2), currency: payment.displayCurrency } : null,
    transactions: paid.map((d) => {
      const spec = assetSpec(d.network, d.assetCode);
      return {
        network: networkLabel(d.network, row.livemode),
        asset: assetDisplay({ network: d.network, code: d.assetCode }).symbol,
        amount: spec ? formatUnits(d.amount, spec.decimals) : d.amount.toString(),
        txHash: d.txHash,
        explorerUrl: explorerTxUrl(d.network, row.livemode, d.txHash),
        at: (d.confirmedAt ?? d.createdAt).toISOString(),
      };
    }),
  };
}
