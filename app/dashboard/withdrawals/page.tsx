import type { Metadata } from "next";
import { icons } from "@/components/dashboard/nav-icons";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requireMerchant } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Withdrawals" };

export default async function WithdrawalsPage() {
  await requireMerchant();
  return (
    <>
      <PageHeader title="Withdrawals" description="Payouts sent from your hot wallet." />
      <EmptyState icon={icons.withdrawals} description="Withdrawals you request through the API will appear here, with their status and transaction hash." />
    </>
  );
}
