// GET /checkout/{id} – the hosted checkout page of a session or a payment (its `url`); a payment without a deposit currency yet lets the payer choose one
import type { Metadata } from "next";
import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { CheckoutApp } from "@/components/checkout/checkout-app";
import { PaymentStartApp } from "@/components/checkout/payment-start";
import { resolveLocale, translator } from "@/lib/i18n";
import { loadPaymentById } from "@/lib/payments/load";
import { payableDeposits } from "@/lib/payments/accepted-deposits";
import { payerState } from "@/lib/payments/payer-choice";
import { getMerchantSettings } from "@/lib/merchants/settings";
import { formatUnitsFixed } from "@/lib/money/units";
import { loadCheckout, merchantBranding } from "./load-checkout";

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
    // a payment before its deposit currency is chosen has no checkout yet: the payer chooses it here
    const payment = await loadPaymentById(id);
    if (!payment) notFound();
    const p = payment.payment;
    const state = payerState(payment);
    const settings = await getMerchantSettings(p.merchantId);
    const options = state === "choose"
      ? (await payableDeposits(p.merchantId, p.livemode)).map((o) => ({ currency: o.currency, network: o.network, networkName: o.networkName }))
      : [];
    const price = p.displayAmountCents !== null && p.displayCurrency ? { amount: formatUnitsFixed(p.displayAmountCents, 2, 2), currency: p.displayCurrency } : null;
    return (
      <PaymentStartApp key={state} paymentId={p.id} title={p.title} state={state} merchant={merchantBranding(settings)} price={price} options={options}
        livemode={p.livemode} expiresAt={Math.floor(p.expiresAt.getTime() / 1000)} serverNow={Math.floor(Date.now() / 1000)} initialLocale={locale} />
    );
  }
  return <CheckoutApp {...checkout} initialLocale={locale} serverNow={Math.floor(Date.now() / 1000)} />;
}
