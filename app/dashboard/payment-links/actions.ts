"use server";
// Payment links (dashboard): create one for the mode shown, turn one off or on again. Another
// merchant's link answers as a missing one does.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { ApiError } from "@/lib/api/errors";
import { authorize } from "@/lib/team/guard";
import { badForm, INVALID_FORM } from "@/lib/forms/checked-form";
import { createPaymentLink, paymentLinkUrl, setPaymentLinkActive } from "@/lib/payment-links/links";

export type CreateLinkState = { error?: string; field?: string; created?: { id: string; url: string } };
export type ToggleLinkState = { error?: string; done?: boolean };

const PATH = "/dashboard/payment-links";

export async function createPaymentLinkAction(_prev: CreateLinkState, data: FormData): Promise<CreateLinkState> {
  if (badForm(data)) return { error: INVALID_FORM };
  const a = await authorize("payment-links:write");
  if (!a.ok) return { error: a.error };
  const { merchantId } = a.me;
  const livemode = data.get("mode") === "live";
  try {
    const link = await createPaymentLink({ merchantId, livemode }, {
      title: String(data.get("title") ?? ""),
      displayCurrency: String(data.get("currency") ?? ""),
      displayAmount: data.get("pricing") === "customer" ? null : String(data.get("amount") ?? ""),
      reusable: data.get("reusable") !== "one-off",
    });
    revalidatePath(PATH);
    return { created: { id: link.id, url: paymentLinkUrl(link.id) } };
  } catch (e) {
    if (e instanceof ApiError && e.status === 400) return { error: e.message, field: e.param === "displayAmount" ? "amount" : e.param ?? undefined };
    throw e;
  }
}

export async function togglePaymentLinkAction(_prev: ToggleLinkState, data: FormData): Promise<ToggleLinkState> {
  if (badForm(data)) return { error: INVALID_FORM };
  const a = await authorize("payment-links:write");
  if (!a.ok) return { error: a.error };
  const { merchantId } = a.me;
  const id = z.uuid().safeParse(data.get("id"));
  const done = id.success && (await setPaymentLinkActive(merchantId, id.data, data.get("active") === "true"));
  revalidatePath(PATH);
  return done ? { done: true } : { error: "This payment link doesn't exist." };
}
