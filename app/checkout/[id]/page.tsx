// GET /checkout/{id} – the hosted checkout page of a session (its `url`)
import type { Metadata } from "next";
import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { CheckoutApp } from "@/components/checkout/checkout-app";
import { resolveLocale, translator } from "@/lib/i18n";
import { loadCheckout } from "./load-checkout";

type Props = { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const checkout = await loadCheckout((await params).id);
  if (!checkout) {
    const t = translator(resolveLocale(undefined, (await headers()).get("accept-language")));
    return { title: { absolute: t("notFound.title") }, robots: { index: false, follow: false } };
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
  if (!checkout) notFound();
  const locale = resolveLocale(query.locale, h.get("accept-language"));
  return <CheckoutApp {...checkout} initialLocale={locale} serverNow={Math.floor(Date.now() / 1000)} />;
}
