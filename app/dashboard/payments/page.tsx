import type { Metadata } from "next";
import { icons } from "@/components/dashboard/nav-icons";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requireMerchant } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Payments" };

export default async function PaymentsPage() {
  await requireMerchant();
  return (
    <>
      <PageHeader title="Payments" description="Checkouts priced in a display currency such as USD or EUR." />
      <EmptyState icon={icons.payments} description="Payments you create with POST /v1/payments will appear here, with the amount due and what was deposited." />
    </>
  );
}
