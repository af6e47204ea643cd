import type { Metadata } from "next";
import { icons } from "@/components/dashboard/nav-icons";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requireMerchant } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Balances" };

export default async function BalancesPage() {
  await requireMerchant();
  return (
    <>
      <PageHeader title="Balances" description="Funds held per currency and network." />
      <EmptyState icon={icons.balances} description="Your hot wallet and deposit address balances will appear here once funds arrive." />
    </>
  );
}
