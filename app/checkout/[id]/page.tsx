// GET /checkout/{id} – the hosted checkout page of a session (its `url`)
import type { Metadata } from "next";
import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { CheckoutApp } from "@/components/checkout/checkout-app";
import { resolveLocale, translator } from "@/lib/i18n";
import { loadPaymentById } from "@/lib/payments/load";
import { paymentFigures } from "@/lib/payments/serialize";
import { getMerchantSettings } from "@/lib/merchants/settings";
import { formatUnitsFixed } from "@/lib/money/units";
import { loadCheckout } from "./load-checkout";
import { PaymentNotReady } from "./payment-not-ready";

type Props = { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const id = (await params).id;
  const checkout = await loadCheckout(id);
  if (!checkout) {
    // a payment not submitted yet is named after its merchant
    const payment = await loadPaymentById(id);
    const merchant = payment && !payment.checkout ? (await getMerchantSettings(payment.payment.merchantId))?.name : undefined;
    const t = translator(resolveLocale(undefined, (await headers()).get("accept-language")));
    return { title: { absolute: merchant || t("notFound.title") }, robots: { index: false, follow: false }, referrer: "no-referrer" };
  }
  const { session, merchant } = checkout;
  const title = session.display.title === merchant.name || !merchant.name ? session.display.title : `${session.display.title} · ${merchant.name}`;
  return {
    title: { absolute: title },
    robots: { index: false, follow: false },
    // the URL is the session's capability: never send it to the logo host or a block explorer
    referrer: "no-referrer",
  };
}

export default async function CheckoutPage({ params, searchParams }: Props) {
  const [{ id }, query, h] = await Promise.all([params, searchParams, headers()]);
  const checkout = await loadCheckout(id);
  const locale = resolveLocale(query.locale, h.get("accept-language"));
  if (!checkout) {
    // a payment before its deposit currency is chosen has no checkout yet
    const payment = await loadPaymentById(id);
    if (!payment || payment.checkout) notFound();
    const { status } = paymentFigures(payment);
    const p = payment.payment;
    const merchant = (await getMerchantSettings(p.merchantId))?.name ?? "";
    const price = p.displayAmountCents !== null && p.displayCurrency ? `${formatUnitsFixed(p.displayAmountCents, 2, 2)} ${p.displayCurrency}` : null;
    return <PaymentNotReady locale={locale} merchant={merchant} price={price} status={status === "NEW" || status === "EXPIRED" ? status : "BLOCKED"} />;
  }
  return <CheckoutApp {...checkout} initialLocale={locale} serverNow={Math.floor(Date.now() / 1000)} />;
}
