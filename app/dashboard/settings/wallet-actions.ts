"use server";
import { badForm, INVALID_FORM } from "@/lib/forms/checked-form";
import { revalidatePath } from "next/cache";
import { authorize } from "@/lib/team/guard";
import { checkedMaxAmount, removeSigningSecret, rotateSigningSecret, setCountingSide, setDepositMaxAmount } from "@/lib/merchants/wallet-settings";

export type WalletSettingsState = { saved?: number; secret?: string; error?: string };

export async function saveWalletSettingsAction(_p: WalletSettingsState, data: FormData): Promise<WalletSettingsState> {
  if (badForm(data)) return { error: INVALID_FORM };
  const a = await authorize("settings:write");
  if (!a.ok) return { error: a.error };
  const { merchantId } = a.me;
  const intent = String(data.get("intent") ?? "save");
  if (intent === "rotate") {
    const secret = await rotateSigningSecret(merchantId);
    revalidatePath("/dashboard/settings");
    return { secret };
  }
  if (intent === "remove") {
    await removeSigningSecret(merchantId);
    revalidatePath("/dashboard/settings");
    return { saved: Date.now() };
  }
  const side = String(data.get("countingSide") ?? "");
  if (side !== "deposit" && side !== "hot_wallet") return { error: "Choose what income counts." };
  const maxAmount = String(data.get("depositMaxAmount") ?? "");
  if (checkedMaxAmount(maxAmount) === null) return { error: "Maximum deposit amount: a number above 0 with at most 6 decimals, e.g. 100000." };
  await setCountingSide(merchantId, side);
  await setDepositMaxAmount(merchantId, maxAmount);
  revalidatePath("/dashboard/settings");
  return { saved: Date.now() };
}
