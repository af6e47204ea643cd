// GET /pay/{id} – a payment link's page: its title and price (or an amount field), and the button
// that opens a payment from it (POST /pay/{id}/open); nothing is created by opening the URL.
import type { Metadata } from "next";
import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { PaymentLinkApp } from "@/components/checkout/payment-link";
import { resolveLocale } from "@/lib/i18n";
import { getMerchantSettings } from "@/lib/merchants/settings";
import { formatCents, findPaymentLink } from "@/lib/payment-links/links";
import { merchantBranding } from "../../checkout/[id]/load-checkout";

type Props = { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const link = await findPaymentLink((await params).id);
  const merchant = link ? (await getMerchantSettings(link.merchantId))?.name : undefined;
  return {
    title: { absolute: link ? (merchant ? `${link.title} · ${merchant}` : link.title) : "Payment link" },
    robots: { index: false, follow: false },
    referrer: "no-referrer",
  };
}

export default async function PaymentLinkPage({ params, searchParams }: Props) {
  const [{ id }, query, h] = await Promise.all([params, searchParams, headers()]);
  const link = await findPaymentLink(id);
  if (!link) notFound();
  const settings = await getMerchantSettings(link.merchantId);
  return (
    <PaymentLinkApp linkId={link.id} title={link.title} merchant={merchantBranding(settings)} currency={link.displayCurrency}
      amount={link.displayAmountCents === null ? null : formatCents(link.displayAmountCents)} active={link.active} livemode={link.livemode}
      initialLocale={resolveLocale(query.locale, h.get("accept-language"))} />
  );
}
