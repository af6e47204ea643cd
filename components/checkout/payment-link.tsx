"use client";
// A payment link's page (/pay/{id}): the link's title and price — or an amount field when the
// customer sets the price — and one button that opens a payment from the link and goes to its page,
// where the payer chooses what to pay with. Nothing is created until the button is pressed (a link
// preview or a crawler opening the URL makes no payment).
import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Spinner } from "@/components/ui/spinner";
import type { Locale } from "@/lib/i18n";
import { useI18n } from "@/lib/i18n/react";
import { ApiError, openPaymentLink } from "./api";
import { PayerFooter, PayerShell, PayerPage } from "./frame";
import type { MerchantBranding } from "./types";
import { useHydrated } from "./use-hydrated";
import { primaryButton } from "./wallet-pay";

export type PaymentLinkProps = {
  linkId: string;
  title: string;
  merchant: MerchantBranding;
  currency: string;
  /** the fixed price ("25.00"), or null: the customer enters it */
  amount: string | null;
  active: boolean;
  livemode: boolean;
};

export function PaymentLinkApp(props: PaymentLinkProps & { initialLocale: Locale }) {
  return (
    <PayerShell accentColor={props.merchant.accentColor} initialLocale={props.initialLocale}>
      <PaymentLink {...props} />
    </PayerShell>
  );
}

const AMOUNT = /^(0|[1-9]\d{0,11})([.,]\d{1,2})?$/;

function PaymentLink({ linkId, title, merchant, currency, amount: price, active, livemode }: PaymentLinkProps) {
  const { t, amount, locale } = useI18n();
  const hydrated = useHydrated();
  const [entered, setEntered] = useState("");
  const [invalid, setInvalid] = useState(false);
  const open = useMutation({
    mutationFn: (value: string | undefined) => openPaymentLink(linkId, value),
    onSuccess: (r) => window.location.assign(r.url),
  });
  function submit(e: FormEvent) {
    e.preventDefault();
    if (open.isPending || open.isSuccess) return;
    if (price === null) {
      const v = entered.trim();
      if (!AMOUNT.test(v) || Number(v.replace(",", ".")) <= 0) return setInvalid(true);
      setInvalid(false);
      open.mutate(v.replace(",", "."));
    } else open.mutate(undefined);
  }
  const working = open.isPending || open.isSuccess;
  const error = open.error instanceof ApiError
    ? (open.error.code === "payment_link_inactive" ? t("link.inactive") : open.error.status === 0 ? t("error.network") : open.error.message || t("error.generic", { status: open.error.status }))
    : open.error ? t("error.network") : null;

  return (
    <div lang={locale} data-testid="payment-link">
      <PayerPage livemode={livemode} merchant={merchant} after={<PayerFooter />}>
            <div className="border-b border-zinc-100 px-5 py-5 sm:px-6">
              <h1 className="text-sm font-medium break-words text-zinc-700" data-testid="link-title">{title}</h1>
              {price !== null && (
                <p className="mt-3 text-3xl font-semibold tracking-tight break-words text-zinc-900 tabular-nums" data-testid="link-price">
                  {amount(price)} <span className="text-xl font-medium text-zinc-500">{currency}</span>
                </p>
              )}
            </div>
            <div className="px-5 py-6 sm:px-6">
              {!active ? (
                <p className="text-sm text-zinc-600" data-testid="link-inactive">{t("link.inactive")}</p>
              ) : (
                <form onSubmit={submit} className="space-y-4" noValidate>
                  {price === null && (
                    <div>
                      <label htmlFor="link-amount" className="block text-sm font-medium text-zinc-800">{t("link.amountLabel", { currency })}</label>
                      <input id="link-amount" name="amount" inputMode="decimal" autoComplete="off" value={entered} disabled={working}
                        onChange={(e) => setEntered(e.target.value)} aria-invalid={invalid || undefined} aria-describedby="link-amount-hint"
                        className="mt-1.5 block w-full rounded-lg border-0 px-3 py-2 text-base text-zinc-900 tabular-nums shadow-xs ring-1 ring-zinc-300 ring-inset focus:ring-2 focus:ring-[var(--accent)] focus:ring-inset aria-invalid:ring-red-500 sm:text-sm"
                        placeholder="25.00" data-testid="link-amount" />
                      <p id="link-amount-hint" className={`mt-1.5 text-xs ${invalid ? "text-red-700" : "text-zinc-500"}`}>{t(invalid ? "link.amountInvalid" : "link.amountHint")}</p>
                    </div>
                  )}
                  {error && <p role="alert" className="rounded-lg bg-red-50 px-3 py-2 text-sm text-red-800 ring-1 ring-red-200 ring-inset" data-testid="link-error">{error}</p>}
                  <button type="submit" className={primaryButton} disabled={!hydrated || working} data-testid="link-continue">
                    {working && <Spinner className="size-4" />}
                    {t(working ? "link.opening" : "link.continue")}
                  </button>
                </form>
              )}
            </div>
      </PayerPage>
    </div>
  );
}
