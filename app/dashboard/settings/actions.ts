"use server";
import { badForm, INVALID_FORM } from "@/lib/forms/checked-form";
import { revalidatePath } from "next/cache";
import { destinationProblem } from "@/lib/addresses/destination-guard";
import { authorize } from "@/lib/team/guard";
import { updateMerchantSettings } from "@/lib/merchants/settings";
import { settingsSchema } from "@/lib/merchants/settings-schema";
import { settlementTargets } from "@/lib/merchants/settlement-networks";

export type SettingsState = {
  /** field name (as in the form) → message */
  errors?: Record<string, string>;
  savedAt?: number;
};

export async function saveSettingsAction(_prev: SettingsState, data: FormData): Promise<SettingsState> {
  if (badForm(data)) return { errors: { form: INVALID_FORM } };
  const a = await authorize("settings:write");
  if (!a.ok) return { errors: { form: a.error } };
  const { merchantId } = a.me;
  const targets = settlementTargets();
  const text = (name: string) => String(data.get(name) ?? "");
  const parsed = settingsSchema(targets).safeParse({
    name: text("name"),
    logoUrl: text("logoUrl"),
    accentColor: text("accentColor"),
    expiryMinutes: text("expiryMinutes"),
    tolerancePercent: text("tolerancePercent"),
    embedOrigins: text("embedOrigins"),
    reuseAddresses: data.get("reuseAddresses") ?? undefined,
    settlement: Object.fromEntries(targets.map((t) => [t.key, text(`settlement.${t.key}`)])),
    batch: Object.fromEntries(targets.filter((t) => t.batchable && data.has(`batch.${t.key}.mode`))
      .map((t) => [t.key, { mode: text(`batch.${t.key}.mode`), min: text(`batch.${t.key}.min`), wait: text(`batch.${t.key}.wait`) }])),
  });
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const issue of parsed.error.issues) errors[issue.path.join(".")] ??= issue.message;
    return { errors };
  }
  // a settlement address that would burn or strand forwarded funds (lib/addresses/destination-guard)
  const errors: Record<string, string> = {};
  for (const t of targets) {
    const address = parsed.data.settlement[t.key];
    if (!address) continue;
    const problem = await destinationProblem(t.family, address, `${t.network}${t.livemode ? "" : ":test"}`);
    if (problem) errors[`settlement.${t.key}`] = `This address cannot receive funds: ${problem}.`;
  }
  if (Object.keys(errors).length) return { errors };
  await updateMerchantSettings(merchantId, parsed.data, targets);
  revalidatePath("/dashboard", "layout"); // the merchant name is shown in the navigation too
  return { savedAt: Date.now() };
}
