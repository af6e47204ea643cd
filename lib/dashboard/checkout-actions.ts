// The merchant's actions on a checkout's exception from the dashboard (sessions and payments): the
// same operations as POST /v1/{sessions|payments}/{id}/accept | retry | refund (lib/checkout/actions),
// in the checkout's own mode, with their API errors turned into a sentence for the merchant; and
// what the exception panel shows.
import { and, asc, desc, eq } from "drizzle-orm";
import { checkouts, deposits, settlementNotes } from "@/db/schema";
import { checkAddress, isAddressFamily } from "@/lib/addresses";
import { findFamilyOf } from "@/lib/chains/registry";
import type { ExceptionView } from "@/components/dashboard/exception-panel";
import { acceptCheckout, availableActions, refundCheckout, retryCheckout, type RefundInput } from "@/lib/checkout/actions";
import type { CheckoutRow } from "@/lib/checkout/state-machine";
import { ApiError } from "@/lib/api/errors";
import { db } from "@/lib/db/client";
import { assetSpec } from "@/lib/deposits/assets";
import { displayAmount, networkLabel } from "./sessions/chain-display";

export type ActionResult = { ok: true; message: string } | { ok: false; error: string };
export type CheckoutAction = { kind: "accept" } | { kind: "retry" } | ({ kind: "refund" } & RefundInput);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function runCheckoutAction(merchantId: string, kind: CheckoutRow["kind"], id: string, action: CheckoutAction): Promise<ActionResult> {
  const notFound: ActionResult = { ok: false, error: `This ${kind} doesn't exist.` };
  if (!UUID.test(id)) return notFound;
  const [row] = await db().select({ livemode: checkouts.livemode }).from(checkouts)
    .where(and(eq(checkouts.id, id), eq(checkouts.merchantId, merchantId), eq(checkouts.kind, kind)));
  if (!row) return notFound;
  const scope = { merchantId, livemode: row.livemode };
  try {
    if (action.kind === "accept") {
      await acceptCheckout(scope, kind, id);
      return { ok: true, message: "Accepted: what was paid is being settled" };
    }
    if (action.kind === "retry") {
      await retryCheckout(scope, kind, id);
      return { ok: true, message: "Retrying settlement on the next pass" };
    }
    const { address, amountUnits, network, asset } = action;
    await refundCheckout(scope, kind, id, { address, ...(amountUnits ? { amountUnits } : {}), ...(network ? { network } : {}), ...(asset ? { asset } : {}) });
    return { ok: true, message: "Refund queued: it is signed and sent within seconds" };
  } catch (e) {
    if (e instanceof ApiError && (e.status === 400 || e.status === 404 || e.status === 409 || e.status === 422)) return { ok: false, error: e.message };
    throw e;
  }
}

/** The exception panel's content for a checkout: its exception, what can be done, why settlement waits. */
export async function exceptionView(row: CheckoutRow): Promise<ExceptionView> {
  const [actions, notes, senders] = await Promise.all([
    availableActions(db(), row.id),
    db().select({ reason: settlementNotes.reason }).from(settlementNotes).where(eq(settlementNotes.checkoutId, row.id)).orderBy(asc(settlementNotes.createdAt)),
    db().select({ receiverId: deposits.receiverId, network: deposits.network, from: deposits.fromAddress }).from(deposits)
      .where(and(eq(deposits.checkoutId, row.id), eq(deposits.status, "confirmed"))).orderBy(desc(deposits.createdAt)),
  ]);
  // where a refund most likely belongs: the refund address the checkout was given (when it is an
  // address of the funds' network), else whoever sent the newest payment to that receiver
  const suggestion = (network: string, receiverId: string): string | null => {
    const family = findFamilyOf(network);
    if (row.refundAddress && family && isAddressFamily(family.id) && checkAddress(family.id, row.refundAddress).ok) return row.refundAddress;
    return senders.find((d) => d.receiverId === receiverId && d.network === network && d.from)?.from ?? null;
  };
  return {
    checkoutId: row.id,
    exception: row.exception,
    accept: actions.accept,
    retry: actions.retry,
    refund: actions.refund.map((h) => {
      const spec = assetSpec(h.network, h.assetCode);
      return {
        network: h.network, networkLabel: networkLabel(h.network, row.livemode), asset: spec?.asset ?? h.assetCode, assetCode: h.assetCode,
        amount: spec ? displayAmount(h.amount, spec.decimals) : h.amount.toString(),
        suggestedAddress: suggestion(h.network, h.receiverId),
      };
    }),
    // why settlement stopped (notes the forwarder keeps), while it is processing
    blockedReasons: row.status === "processing" ? notes.map((n) => n.reason) : [],
  };
}

const text = (data: FormData, name: string) => {
  const v = data.get(name);
  return typeof v === "string" ? v.trim() : "";
};

/** The exception panel's form (kind, checkoutId, and for a refund address, amountUnits?, network?) carried out for the signed-in merchant. */
export async function actOnExceptionForm(merchantId: string, kind: CheckoutRow["kind"], data: FormData): Promise<{ error?: string; done?: string }> {
  const action = text(data, "kind");
  if (action !== "accept" && action !== "retry" && action !== "refund") return { error: "The form was incomplete; reload the page and try again." };
  if (action === "refund" && !text(data, "address")) return { error: "Enter the address to send the refund to." };
  const result = await runCheckoutAction(merchantId, kind, text(data, "checkoutId"), action === "refund"
    ? { kind: action, address: text(data, "address"), amountUnits: text(data, "amountUnits") || undefined, network: text(data, "network") || undefined, asset: text(data, "asset") || undefined }
    : { kind: action });
  return result.ok ? { done: result.message } : { error: result.error };
}
