import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { PageHeader } from "@/components/ui/page-header";
import { requireMerchant } from "@/lib/auth/session";
import { RoleNotice } from "@/components/dashboard/role-notice";
import { refusal } from "@/lib/team/roles";
import { getMerchantSettings } from "@/lib/merchants/settings";
import { bpsToPercent, centsToDollars } from "@/lib/merchants/settings-schema";
import { settlementTargets } from "@/lib/merchants/settlement-networks";
import { REUSE_AFTER_MS } from "@/lib/receivers/reuse";
import { getWalletSettings } from "@/lib/merchants/wallet-settings";
import { twoFactorEnabled } from "@/lib/auth/two-factor";
import { PasswordForm } from "./password-form";
import { TwoFactorForm } from "./two-factor-form";
import { SettingsForm } from "./settings-form";
import { WalletSettingsForm } from "./wallet-settings-form";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const { merchantId, userId, role } = await requireMerchant();
  const denied = refusal(role, "settings:write");
  const settings = await getMerchantSettings(merchantId);
  if (!settings) redirect("/sign-in");
  const targets = settlementTargets();
  const wallet = await getWalletSettings(merchantId);
  return (
    <>
      <PageHeader title="Settings" description="Your business details, checkout defaults, where funds are settled, your password and two-factor sign-in." />
      <RoleNotice reason={denied ? `${denied} You can still change your own password and two-factor sign-in below.` : null} />
      {/* a role that may not change the settings sees them with every control disabled (the actions refuse too) */}
      <fieldset disabled={!!denied} aria-describedby={denied ? "role-notice" : undefined} className="m-0 min-w-0 border-0 p-0" data-testid="merchant-settings">
      <SettingsForm
        initial={{
          name: settings.name,
          logoUrl: settings.logoUrl ?? "",
          accentColor: settings.accentColor,
          expiryMinutes: String(Math.round(settings.defaultExpirySeconds / 60)),
          tolerancePercent: bpsToPercent(settings.toleranceBps),
          embedOrigins: settings.embedOrigins.join("\n"),
          settlement: Object.fromEntries(targets.map((t) => [t.key, settings.settlement[t.key] ?? ""])),
          reuseAddresses: settings.reuseAddresses,
          reuseAfterDays: REUSE_AFTER_MS / 86_400_000,
          batch: Object.fromEntries(Object.entries(settings.batch).map(([k, p]) => [k, { min: centsToDollars(p.minCents), wait: String(p.maxWaitMinutes) }])),
        }}
        targets={targets.map(({ key, displayName, livemode, enabled, placeholder, batchable }) => ({ key, displayName, livemode, enabled, placeholder, batchable }))}
      />
      {wallet && <WalletSettingsForm countingSide={wallet.countingSide} hasSigningSecret={wallet.hasSigningSecret} depositMaxAmount={wallet.depositMaxAmount} />}
      </fieldset>
      <PasswordForm />
      <TwoFactorForm enabled={await twoFactorEnabled(userId)} />
    </>
  );
}
