import type { Metadata } from "next";
import { icons } from "@/components/dashboard/nav-icons";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requireMerchant } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Webhooks" };

export default async function WebhooksPage() {
  await requireMerchant();
  return (
    <>
      <PageHeader title="Webhooks" description="Endpoints notified when sessions, payments, deposits and withdrawals change." />
      <EmptyState icon={icons.webhooks} description="Webhook endpoints you add will appear here, with each event and every delivery attempt." />
    </>
  );
}
