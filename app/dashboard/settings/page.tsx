import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { PageHeader } from "@/components/ui/page-header";
import { requireMerchant } from "@/lib/auth/session";
import { getMerchantSettings } from "@/lib/merchants/settings";
import { bpsToPercent, centsToDollars } from "@/lib/merchants/settings-schema";
import { settlementTargets } from "@/lib/merchants/settlement-networks";
import { getWalletSettings } from "@/lib/merchants/wallet-settings";
import { twoFactorEnabled } from "@/lib/auth/two-factor";
import { PasswordForm } from "./password-form";
import { TwoFactorForm } from "./two-factor-form";
import { SettingsForm } from "./settings-form";
import { WalletSettingsForm } from "./wallet-settings-form";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const { merchantId, userId } = await requireMerchant();
  const settings = await getMerchantSettings(merchantId);
  if (!settings) redirect("/sign-in");
  const targets = settlementTargets();
  const wallet = await getWalletSettings(merchantId);
  return (
    <>
      <PageHeader title="Settings" description="Your business details, checkout defaults, where funds are settled, your password and two-factor sign-in." />
      <SettingsForm
        initial={{
          name: settings.name,
          logoUrl: settings.logoUrl ?? "",
          accentColor: settings.accentColor,
          expiryMinutes: String(Math.round(settings.defaultExpirySeconds / 60)),
          tolerancePercent: bpsToPercent(settings.toleranceBps),
          embedOrigins: settings.embedOrigins.join("\n"),
          settlement: Object.fromEntries(targets.map((t) => [t.key, settings.settlement[t.key] ?? ""])),
          batch: Object.fromEntries(Object.entries(settings.batch).map(([k, p]) => [k, { min: centsToDollars(p.minCents), wait: String(p.maxWaitMinutes) }])),
        }}
        targets={targets.map(({ key, displayName, livemode, enabled, placeholder, batchable }) => ({ key, displayName, livemode, enabled, placeholder, batchable }))}
      />
      {wallet && <WalletSettingsForm countingSide={wallet.countingSide} hasSigningSecret={wallet.hasSigningSecret} depositMaxAmount={wallet.depositMaxAmount} />}
      <PasswordForm />
      <TwoFactorForm enabled={await twoFactorEnabled(userId)} />
    </>
  );
}
