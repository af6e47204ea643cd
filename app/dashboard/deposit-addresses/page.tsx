import type { Metadata } from "next";
import { icons } from "@/components/dashboard/nav-icons";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requireMerchant } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Deposit addresses" };

export default async function DepositAddressesPage() {
  await requireMerchant();
  return (
    <>
      <PageHeader title="Deposit addresses" description="Permanent addresses assigned to your customers." />
      <EmptyState icon={icons.depositAddresses} description="Addresses you create for your customers through the API will appear here, with what each has received." />
    </>
  );
}
