// GET /checkout/{id}/receipt – a paid checkout's receipt for the payer (printable); "not paid yet" before it succeeded
import type { Metadata } from "next";
import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { PayerShell } from "@/components/checkout/frame";
import { Receipt } from "@/components/checkout/receipt";
import { loadReceipt } from "@/lib/checkout/receipt";
import { resolveLocale } from "@/lib/i18n";
import { merchantBranding } from "../load-checkout";

type Props = { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export const metadata: Metadata = { title: { absolute: "Receipt" }, robots: { index: false, follow: false }, referrer: "no-referrer" };

export default async function ReceiptPage({ params, searchParams }: Props) {
  const [{ id }, query, h] = await Promise.all([params, searchParams, headers()]);
  const receipt = await loadReceipt(id, merchantBranding);
  if (!receipt) notFound();
  const locale = resolveLocale(query.locale, h.get("accept-language"));
  return (
    <PayerShell accentColor={receipt.merchant.accentColor} initialLocale={locale}>
      <Receipt receipt={receipt} />
    </PayerShell>
  );
}
