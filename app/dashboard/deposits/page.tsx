import type { Metadata } from "next";
import { icons } from "@/components/dashboard/nav-icons";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requireMerchant } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Deposits" };

export default async function DepositsPage() {
  await requireMerchant();
  return (
    <>
      <PageHeader title="Deposits" description="Incoming transfers to your deposit addresses." />
      <EmptyState icon={icons.deposits} description="Transfers received on your deposit addresses will appear here as soon as they are seen on chain." />
    </>
  );
}
