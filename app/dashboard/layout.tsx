import type { Metadata } from "next";
import { DashboardNav } from "@/components/dashboard/dashboard-nav";
import { PayoutsPausedBanner } from "@/components/dashboard/wallets/payouts-paused";
import { requireMerchant } from "@/lib/auth/session";
import { config } from "@/lib/config";
import { isOperator } from "@/lib/dashboard/operator";
import { ROLE_LABEL } from "@/lib/team/roles";

export const metadata: Metadata = { title: { default: "Dashboard", template: "%s · Tollgate" } };

export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  const merchant = await requireMerchant();
  const mode = config().mode;
  const operator = await isOperator(merchant.merchantId);
  return (
    <div className="min-h-screen">
      <DashboardNav merchantName={merchant.merchantName} email={merchant.email} role={ROLE_LABEL[merchant.role]} mode={mode} isOperator={operator} />
      <div className="lg:pl-64">
        {mode === "test" && (
          <div className="border-b border-amber-200 bg-amber-50 px-4 py-2 text-center text-xs font-medium text-amber-900 sm:px-6">
            Test mode: this instance runs on test networks. No real funds move.
          </div>
        )}
        <main className="mx-auto max-w-5xl px-4 py-8 sm:px-6 lg:px-10 lg:py-10">
          <PayoutsPausedBanner livemode={mode === "live"} operator={operator} className="mb-6" />
          {children}
        </main>
      </div>
    </div>
  );
}
