// "Needs attention" (the Overview): every checkout of a merchant's mode that the merchant can or must
// act on — partly paid (accept), settlement failed or stuck (retry, or the reason it waits), money
// left on a receiver after the checkout ended (refund: paid late, paid after a cancel, the short part
// of an expired one, the wrong asset). Candidates come from one query over facts that can lead to an
// action; each is then asked lib/checkout/actions' availableActions, the same answer the detail
// page's exception panel gives, so the list and the buttons never disagree.
import { and, desc, eq, inArray, or, sql, type SQL } from "drizzle-orm";
import { checkoutActions, checkouts, deposits, settlementNotes } from "@/db/schema";
import { availableActions } from "@/lib/checkout/actions";
import { db } from "@/lib/db/client";
import { assetSpec } from "@/lib/deposits/assets";
import { displayAmount, networkLabel } from "./sessions/chain-display";

export type AttentionItem = {
  id: string;
  kind: "session" | "payment";
  title: string;
  status: string;
  exception: string | null;
  /** what is due, as the merchant set it ("25.00 USDC") */
  due: string;
  /** what the merchant can do: "accept", "retry", "refund" */
  actions: ("accept" | "retry" | "refund")[];
  /** funds on receivers a refund can send back ("5.00 USDC on Ethereum") */
  onReceivers: string[];
  /** why settlement waits, when it is stuck */
  waiting: string[];
  href: string;
  updatedAt: Date;
};

/**
 * The checkouts that can need the merchant (before asking availableActions): also the lists'
 * "Needs attention" filter (lib/dashboard/list-filters), so both find the same candidates.
 */
export function attentionCondition(): SQL {
  const hasDeposit = (statuses: ("seen" | "confirmed")[]) => sql`exists (select 1 from ${deposits} d where d.checkout_id = ${checkouts.id} and d.status in (${sql.join(statuses.map((s) => sql`${s}`), sql`, `)}))`;
  const lateDeposit = sql`exists (select 1 from ${deposits} d where d.checkout_id = ${checkouts.id} and d.status = 'confirmed' and d.late)`;
  // a refund without an amount took everything on its receiver; one that failed took nothing
  const refundedAll = { not: () => sql`not exists (select 1 from ${checkoutActions} a where a.checkout_id = ${checkouts.id} and a.kind = 'refund' and a.amount is null and a.status <> 'failed')` };
  const hasNote = sql`exists (select 1 from ${settlementNotes} n where n.checkout_id = ${checkouts.id})`;
  return or(
    // partly paid and still open: the merchant may accept what came
    and(eq(checkouts.status, "waiting_payment"), hasDeposit(["seen", "confirmed"])),
    // settlement failed or waits on something (notes say why)
    and(eq(checkouts.status, "processing"), hasNote),
    // ended with money that may still be on a receiver: expired or canceled after a payment, or a
    // payment that came after a succeeded one settled; not once everything was refunded
    and(inArray(checkouts.status, ["expired", "bounced"]), hasDeposit(["confirmed"]), refundedAll.not()),
    and(eq(checkouts.status, "succeeded"), lateDeposit, refundedAll.not()),
  )!;
}

/** At most this many checkouts are examined per page load (newest first); the list says when there may be more. */
const CANDIDATES = 100;

export async function needsAttention(merchantId: string, livemode: boolean): Promise<{ items: AttentionItem[]; more: boolean }> {
  const scope = and(eq(checkouts.merchantId, merchantId), eq(checkouts.livemode, livemode));
  const rows = await db().select().from(checkouts).where(and(scope, attentionCondition())).orderBy(desc(checkouts.updatedAt)).limit(CANDIDATES + 1);
  const more = rows.length > CANDIDATES;
  const items: AttentionItem[] = [];
  for (const row of rows.slice(0, CANDIDATES)) {
    const [acts, notes] = await Promise.all([
      availableActions(db(), row.id),
      row.status === "processing"
        ? db().select({ reason: settlementNotes.reason }).from(settlementNotes).where(eq(settlementNotes.checkoutId, row.id))
        : Promise.resolve([]),
    ]);
    const actions = [...(acts.accept ? ["accept" as const] : []), ...(acts.retry ? ["retry" as const] : []), ...(acts.refund.length ? ["refund" as const] : [])];
    if (actions.length === 0 && notes.length === 0) continue;
    items.push({
      id: row.id,
      kind: row.kind,
      title: row.displayTitle,
      status: row.status,
      exception: row.exception,
      due: `${displayAmount(row.amountUnits, row.tokenDecimals)} ${row.tokenSymbol}`,
      actions,
      onReceivers: acts.refund.map((h) => {
        const spec = assetSpec(h.network, h.assetCode);
        return `${spec ? displayAmount(h.amount, spec.decimals) : h.amount.toString()} ${spec?.asset ?? h.assetCode} on ${networkLabel(h.network, livemode)}`;
      }),
      waiting: [...new Set(notes.map((n) => n.reason))],
      href: `/dashboard/${row.kind === "payment" ? "payments" : "sessions"}/${row.id}`,
      updatedAt: row.updatedAt,
    });
  }
  return { items, more };
}
