// One payment for the dashboard's detail page: the API object plus what the merchant needs to
// see (the checkout's network, notes on why forwarding waits, whether it can be blocked).
import { and, eq } from "drizzle-orm";
import { outboundTxs, payments } from "@/db/schema";
import { db } from "@/lib/db/client";
import type { ExceptionView } from "@/components/dashboard/exception-panel";
import { exceptionView } from "@/lib/dashboard/checkout-actions";
import { isPaymentId, loadPayments } from "@/lib/payments/load";
import type { PaymentInfo } from "@/lib/payments/schemas";
import { serializePayment } from "@/lib/payments/serialize";

export type PaymentDetail = {
  info: PaymentInfo;
  livemode: boolean;
  createdAt: Date;
  network: string | null;
  /** its checkout (same id), once submitted */
  checkoutId: string | null;
  blockable: boolean;
  /** the checkout's exception and what the merchant can do about it (null before a deposit currency is chosen) */
  exception: ExceptionView | null;
  /** outbound transactions of the payment (forwarding, gas, refunds) and notes on blocked steps */
  outbound: { purpose: string; status: string; txHash: string | null; amount: bigint; toAddress: string; error: string | null; tokenDecimals: number }[];
};

export async function getPaymentDetail(merchantId: string, id: string): Promise<PaymentDetail | null> {
  if (!isPaymentId(id)) return null;
  const [row] = await db().select().from(payments).where(and(eq(payments.id, id), eq(payments.merchantId, merchantId)));
  if (!row) return null;
  const [l] = await loadPayments(db(), [row]);
  const info = serializePayment(l);
  const out = l.checkout ? await db().select().from(outboundTxs).where(eq(outboundTxs.checkoutId, id)).orderBy(outboundTxs.createdAt) : [];
  return {
    info,
    livemode: row.livemode,
    createdAt: row.createdAt,
    network: l.checkout?.network ?? null,
    checkoutId: l.checkout?.id ?? null,
    blockable: ["NEW", "PENDING", "AWAITING"].includes(info.status),
    exception: l.checkout ? await exceptionView(l.checkout) : null,
    outbound: out.map((o) => ({
      purpose: o.purpose, status: o.status, txHash: o.txHash, amount: o.amount, toAddress: o.toAddress, error: o.error,
      tokenDecimals: o.tokenAddress ? (l.checkout?.tokenDecimals ?? 0) : 18,
    })),
  };
}
