"use server";
// Dashboard withdrawals: queue one (after the form's confirmation step) and cancel a pending one,
// through the same lib/withdrawals functions as the API, scoped to the signed-in merchant.
import { badForm, INVALID_FORM } from "@/lib/forms/checked-form";
import { revalidatePath } from "next/cache";
import { ApiError } from "@/lib/api/errors";
import { requireMerchant } from "@/lib/auth/session";
import { resolveCurrency } from "@/lib/currencies/resolve";
import { AmountError, parseUnits } from "@/lib/money/units";
import { cancelWithdrawal } from "@/lib/withdrawals/cancel";
import { requestPayout } from "@/lib/withdrawals/request";

export type WithdrawalActionState = { error?: string; ok?: string };

const PATH = "/dashboard/withdrawals";

export async function createWithdrawalAction(_p: WithdrawalActionState, data: FormData): Promise<WithdrawalActionState> {
  if (badForm(data)) return { error: INVALID_FORM };
  const { merchantId, userId } = await requireMerchant();
  const livemode = data.get("mode") === "live";
  const s = (k: string) => String(data.get(k) ?? "").trim();
  // the form generates the query id once per confirmation: a double submit is the same withdrawal
  const queryId = s("queryId");
  if (!/^[0-9a-f-]{36}$/.test(queryId)) return { error: "Review the withdrawal again before confirming." };
  try {
    const currency = resolveCurrency(s("currency"), livemode);
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
    if (e instanceof ApiError) return { error: e.message };
    throw e;
  }
}

export async function cancelWithdrawalAction(data: FormData): Promise<void> {
  if (badForm(data)) return;
  const { merchantId } = await requireMerchant();
  const id = String(data.get("id") ?? "");
  if (!/^\d{1,18}$/.test(id)) return;
  await cancelWithdrawal(merchantId, BigInt(id));
  revalidatePath(PATH);
}
