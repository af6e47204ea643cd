// One session for the dashboard's detail page: its facts and its timeline. Scoped by merchant
// only (either mode), so a detail URL works whatever mode the list was showing; another
// merchant's session, or an id that is not a session id, is simply not found.
import { and, asc, eq } from "drizzle-orm";
import { checkouts, deposits, events, outboundTxs } from "@/db/schema";
import { canTransition, type CheckoutStatus } from "@/lib/checkout/state-machine";
import { db } from "@/lib/db/client";
import { parseUnits } from "@/lib/money/units";
import { isSessionId } from "@/lib/sessions/get-session";
import { loadSessionGroups, serializeSession } from "@/lib/sessions/serialize";
import { exceptionView } from "@/lib/dashboard/checkout-actions";
import type { ExceptionView } from "@/components/dashboard/exception-panel";
import { displayAmount, explorerTxUrl, networkLabel } from "./chain-display";
import { buildTimeline, type TimelineEntry, type TxRef } from "./timeline";

export type SessionDetail = {
  id: string;
  status: CheckoutStatus;
  livemode: boolean;
  /** cancel (→ expired) is possible from this status */
  cancelable: boolean;
  amount: string;
  tokenSymbol: string;
  tokenAddress: string;
  network: string;
  networkLabel: string;
  chainId: number | null;
  title: string;
  verb: string;
  destinationAddress: string;
  refundAddress: string | null;
  receiverAddress: string | null;
  paymentMethodType: string | null;
  paymentMethodChosenAt: Date | null;
  createdAt: Date;
  /** the last change (status, payment method, delivery) */
  updatedAt: Date;
  expiresAt: Date;
  /** the hosted checkout page */
  url: string;
  successUrl: string | null;
  cancelUrl: string | null;
  metadata: [key: string, value: string][];
  /** decimal text in the destination token, once the session reports them */
  progress: { paid: string; remaining: string; overpaid: string | null } | null;
  /** one per settlement group: what arrived, on which chain and token */
  deliveries: { tx: TxRef | null; networkLabel: string; received: string; tokenSymbol: string; status: "delivered" | "refunded" | "batched" }[];
  exception: ExceptionView;
  timeline: TimelineEntry[];
};

export async function getSessionDetail(merchantId: string, id: string): Promise<SessionDetail | null> {
  if (!isSessionId(id)) return null;
  const [row] = await db().select().from(checkouts)
    .where(and(eq(checkouts.id, id), eq(checkouts.merchantId, merchantId), eq(checkouts.kind, "session")));
  if (!row) return null;

  const [eventRows, depositRows, outboundRows, groups, exception] = await Promise.all([
    db().select({ id: events.id, type: events.type, createdAt: events.createdAt }).from(events)
      .where(and(eq(events.objectId, row.id), eq(events.merchantId, merchantId)))
      .orderBy(asc(events.createdAt), asc(events.id)),
    db().select().from(deposits)
      .where(and(eq(deposits.checkoutId, row.id), eq(deposits.merchantId, merchantId)))
      .orderBy(asc(deposits.createdAt), asc(deposits.blockNumber), asc(deposits.logIndex)),
    db().select().from(outboundTxs)
      .where(and(eq(outboundTxs.checkoutId, row.id), eq(outboundTxs.merchantId, merchantId)))
      .orderBy(asc(outboundTxs.createdAt), asc(outboundTxs.id)),
    loadSessionGroups(db(), [row]),
    exceptionView(row),
  ]);

  // with its deposits, the session object carries paidUnits / remainingUnits / overpaidUnits
  const view = serializeSession(row, depositRows, groups.get(row.id));
  // the API's decimal text ("10") in the dashboard's format ("10.00")
  const redisplay = (units: string) => displayAmount(parseUnits(units, row.tokenDecimals), row.tokenDecimals);
  return {
    id: row.id,
    status: row.status,
    livemode: row.livemode,
    cancelable: canTransition(row.status, "expired"),
    amount: displayAmount(row.amountUnits, row.tokenDecimals),
    tokenSymbol: row.tokenSymbol,
    tokenAddress: row.tokenAddress,
    network: row.network,
    networkLabel: networkLabel(row.network, row.livemode),
    chainId: row.chainId,
    title: row.displayTitle,
    verb: row.displayVerb,
    destinationAddress: row.destinationAddress,
    refundAddress: row.refundAddress,
    receiverAddress: row.paymentMethodReceiverAddress,
    paymentMethodType: row.paymentMethodType,
    paymentMethodChosenAt: row.paymentMethodChosenAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    expiresAt: row.expiresAt,
    url: view.url,
    successUrl: row.successUrl,
    cancelUrl: row.cancelUrl,
    metadata: Object.entries(row.metadata ?? {}).sort(([a], [b]) => a.localeCompare(b)),
    progress: view.paidUnits !== undefined && view.remainingUnits !== undefined
      ? { paid: redisplay(view.paidUnits), remaining: redisplay(view.remainingUnits), overpaid: view.overpaidUnits ? redisplay(view.overpaidUnits) : null }
      : null,
    deliveries: (view.deliveries ?? []).map((d) => ({
      // a batched group has no transaction yet: the merchant's next settlement batch delivers it
      tx: d.txHash ? { hash: d.txHash, url: explorerTxUrl(d.chainName, row.livemode, d.txHash), networkLabel: networkLabel(d.chainName, row.livemode) } : null,
      networkLabel: networkLabel(d.chainName, row.livemode),
      received: d.receivedUnits, tokenSymbol: d.tokenSymbol, status: d.status,
    })),
    exception,
    timeline: buildTimeline({ createdAt: row.createdAt, events: eventRows, deposits: depositRows, outbound: outboundRows }),
  };
}
