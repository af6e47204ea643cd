// A payment whose deposit currency has not been chosen yet (status NEW), or that ended before
// (EXPIRED, BLOCKED): its price and a short explanation, in the payer's language. The page
// reloads itself while NEW, so it turns into the checkout once the merchant submits the currency.
import type { Locale } from "@/lib/i18n";
import { translator } from "@/lib/i18n";

export function PaymentNotReady({ locale, merchant, price, status }: { locale: Locale; merchant: string; price: string | null; status: "NEW" | "EXPIRED" | "BLOCKED" }) {
  const t = translator(locale);
  return (
    <main lang={locale} className="flex min-h-screen items-center justify-center px-4 py-12" data-testid="payment-not-ready" data-status={status}>
      {status === "NEW" && <meta httpEquiv="refresh" content="5" />}
      <div className="w-full max-w-md rounded-2xl bg-white p-8 text-center shadow-sm ring-1 ring-zinc-200">
        <p className="text-sm font-medium text-zinc-700">{merchant}</p>
        {price && <p className="mt-2 text-3xl font-semibold tracking-tight text-zinc-900 tabular-nums" data-testid="fiat-amount">{price}</p>}
        <p className="mt-4 text-sm text-zinc-600">
          {t(status === "NEW" ? "payment.notSubmitted" : status === "EXPIRED" ? "payment.expired" : "payment.blocked")}
        </p>
      </div>
    </main>
  );
}
