import type { Metadata } from "next";
import { icons } from "@/components/dashboard/nav-icons";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requireMerchant } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Sessions" };

export default async function SessionsPage() {
  await requireMerchant();
  return (
    <>
      <PageHeader title="Sessions" description="Checkout sessions created with the API and paid on the hosted checkout page." />
      <EmptyState icon={icons.sessions} description="Checkout sessions you create with POST /v1/sessions will appear here, with their status and payments." />
    </>
  );
}
