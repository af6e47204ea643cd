"use server";
// Dashboard withdrawals: check a draft (amount within what the merchant owns, a destination that
// is an address of the network and safe to pay) before the form's confirmation step, queue it
// after, and cancel a pending one — through the same lib functions as the API, scoped to the
// signed-in merchant. Queueing still answers a balance that changed meanwhile (422
// insufficient_balance from requestPayout) with a clear message.
import { badForm, INVALID_FORM } from "@/lib/forms/checked-form";
import { revalidatePath } from "next/cache";
import { destinationProblem } from "@/lib/addresses/destination-guard";
import { isAddressFamily } from "@/lib/addresses";
import { ApiError } from "@/lib/api/errors";
import { authorize } from "@/lib/team/guard";
import { resolveCurrency, type ResolvedCurrency } from "@/lib/currencies/resolve";
import { merchantBalance } from "@/lib/ledger/accounts";
import { assetDisplay, formatAmount } from "@/lib/money/format";
import { AmountError, formatUnits, parseUnits } from "@/lib/money/units";
import { cancelWithdrawal } from "@/lib/withdrawals/cancel";
import { familyOf } from "@/lib/withdrawals/families";
import { requestPayout } from "@/lib/withdrawals/request";

export type WithdrawalField = "currency" | "amount" | "destination";
export type WithdrawalCheck = {
  errors?: Partial<Record<WithdrawalField, string>>;
  /** the draft as it will be sent: the destination in its canonical form */
  ok?: { currency: string; amount: string; destination: string; available: string };
};
export type WithdrawalActionState = { error?: string; ok?: string; available?: string };

const PATH = "/dashboard/withdrawals";

function insufficient(available: bigint, currency: ResolvedCurrency): string {
  const asset = { network: currency.network.name, code: currency.code };
  return available === 0n
    ? `You have no ${assetDisplay(asset).symbol} available to withdraw.`
    : `More than you have available: ${formatAmount(available, asset, { symbol: true })}.`;
}

/** The form's "Review withdrawal": every check that can be made before anything is queued. */
export async function checkWithdrawalAction(input: { mode: string; currency: string; amount: string; destination: string }): Promise<WithdrawalCheck> {
  const a = await authorize("withdrawals:write");
  if (!a.ok) return { errors: { currency: a.error } };
  const { merchantId } = a.me;
  // a server action is an endpoint: anything may arrive, not only what the form sends
  const fields = ["mode", "currency", "amount", "destination"] as const;
  if (typeof input !== "object" || input === null || fields.some((k) => typeof input[k] !== "string" || /[\u0000]|[\ud800-\udfff]/.test(input[k]))) {
    return { errors: { currency: INVALID_FORM } };
  }
  const livemode = input.mode === "live";
  let currency: ResolvedCurrency;
  try {
    currency = resolveCurrency(String(input.currency ?? ""), livemode);
  } catch (e) {
    if (e instanceof ApiError) return { errors: { currency: e.message } };
    throw e;
  }
  const errors: WithdrawalCheck["errors"] = {};
  const { available } = await merchantBalance({ merchantId, livemode }, currency.network.name, currency.code);
  let units = 0n;
  try {
    units = parseUnits(String(input.amount ?? "").trim(), currency.asset.decimals);
    if (units <= 0n) errors.amount = "Enter an amount above zero.";
    else if (units > available) errors.amount = insufficient(available, currency);
  } catch (e) {
    if (!(e instanceof AmountError)) throw e;
    errors.amount = e.reason === "precision" ? `${currency.code} has at most ${currency.asset.decimals} decimal places.` : "Enter an amount like 12.5.";
  }
  const family = familyOf(currency.network.family);
  const raw = String(input.destination ?? "").trim();
  // of the currency's own chain (a Litecoin address is no Bitcoin one)
  const destination = raw ? family.parseAddress(raw, currency.chain.key) : null;
  if (!raw) errors.destination = "Enter the address to send to.";
  else if (!destination) errors.destination = `Not ${/^[AEIOU]/.test(currency.network.displayName) ? "an" : "a"} ${currency.network.displayName} address: ${family.addressProblem(raw, currency.chain.key) ?? "wrong format"}.`;
  else if (isAddressFamily(currency.network.family)) {
    const problem = await destinationProblem(currency.network.family, destination, currency.chain.key);
    if (problem) errors.destination = `This address cannot receive a withdrawal: ${problem}.`;
  }
  if (Object.keys(errors).length > 0) return { errors };
  return { ok: { currency: currency.code, amount: formatUnits(units, currency.asset.decimals), destination: destination!, available: available.toString() } };
}

export async function createWithdrawalAction(_p: WithdrawalActionState, data: FormData): Promise<WithdrawalActionState> {
  if (badForm(data)) return { error: INVALID_FORM };
  const a = await authorize("withdrawals:write");
  if (!a.ok) return { error: a.error };
  const { merchantId, userId } = a.me;
  const livemode = data.get("mode") === "live";
  const s = (k: string) => String(data.get(k) ?? "").trim();
  // the form generates the query id once per confirmation: a double submit is the same withdrawal
  const queryId = s("queryId");
  if (!/^[0-9a-f-]{36}$/.test(queryId)) return { error: "Review the withdrawal again before confirming." };
  let currency: ResolvedCurrency | undefined;
  try {
    currency = resolveCurrency(s("currency"), livemode);
    const units = parseUnits(s("amount"), currency.asset.decimals);
    if (units <= 0n) return { error: "Enter an amount above zero." };
    const row = await requestPayout({ merchantId, livemode }, {
      user_id: `dashboard:${userId}`, query_id: queryId, currency: currency.code, amount: units.toString(), destination: s("destination"),
      ...(s("comment") ? { comment: s("comment") } : {}),
    });
    revalidatePath(PATH);
    return { ok: `Withdrawal #${row.id} queued.` };
  } catch (e) {
    if (e instanceof AmountError) return { error: `Amount: ${e.message}.` };
    if (e instanceof ApiError && e.code === "insufficient_balance" && currency) {
      // the balance changed since the review (another withdrawal, from here or the API): say what is left
      const { available } = await merchantBalance({ merchantId, livemode }, currency.network.name, currency.code);
      revalidatePath(PATH);
      return { error: `Not queued: your available balance changed. ${insufficient(available, currency)}`, available: available.toString() };
    }
    if (e instanceof ApiError) return { error: e.message };
    throw e;
  }
}

export async function cancelWithdrawalAction(data: FormData): Promise<void> {
  if (badForm(data)) return;
  const a = await authorize("withdrawals:write");
  if (!a.ok) return;
  const { merchantId } = a.me;
  const id = String(data.get("id") ?? "");
  if (!/^\d{1,18}$/.test(id)) return;
  await cancelWithdrawal(merchantId, BigInt(id));
  revalidatePath(PATH);
}
