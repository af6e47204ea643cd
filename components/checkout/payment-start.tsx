"use client";
// A seed-004 payment's page before it has a checkout: the payer chooses what to pay with (when
// the merchant priced it but chose no deposit currency), or waits for the merchant to set the
// price (polled, never a meta refresh). Once the payment is submitted — by this page, another tab
// or the merchant — the server renders the normal checkout in its place (router.refresh()).
import { useMutation, useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useMemo, useState, useTransition, type FormEvent } from "react";
import { Spinner } from "@/components/ui/spinner";
import type { Locale, MessageKey } from "@/lib/i18n";
import { useI18n } from "@/lib/i18n/react";
import { ApiError, fetchPayerView, submitPayerChoice, type PayerState } from "./api";
import { PayerFooter, PayerShell, PayerPage } from "./frame";
import { Countdown } from "./countdown";
import { SelectField } from "./token-picker";
import type { MerchantBranding } from "./types";
import { useHydrated } from "./use-hydrated";
import { useNow } from "./use-now";
import { primaryButton } from "./wallet-pay";

/** One (depositCurrency, network) pair the payer may pick: seed 004's names, and the network as people know it. */
export type PayOption = { currency: string; network: string; networkName: string };

export type PaymentStartProps = {
  paymentId: string;
  /** a payment link's title; seed-004 payments have none */
  title?: string | null;
  state: Exclude<PayerState, "checkout"> | "checkout";
  merchant: MerchantBranding;
  /** the price in the display currency ("20.00", "GBP"), when set */
  price: { amount: string; currency: string } | null;
  options: PayOption[];
  livemode: boolean;
  /** unix seconds */
  expiresAt: number;
  serverNow: number;
};

const POLL_MS = 3000;

export function PaymentStartApp(props: PaymentStartProps & { initialLocale: Locale }) {
  return (
    <PayerShell accentColor={props.merchant.accentColor} initialLocale={props.initialLocale}>
      <PaymentStart {...props} />
    </PayerShell>
  );
}

const STATE_TEXT: Record<PayerState, MessageKey> = {
  choose: "payment.chooseTitle",
  wait: "payment.waitingPrice",
  checkout: "payment.continuing",
  expired: "payment.expired",
  blocked: "payment.blocked",
};

function useErrorText() {
  const { t } = useI18n();
  return (e: unknown) => {
    if (!(e instanceof ApiError) || e.status === 0) return t("error.network");
    if (e.code === "rate_unavailable") return t("payment.rateUnavailable");
    if (e.code === "currency_not_supported" || e.code === "rate_pair_unsupported" || e.code === "settlement_address_missing") return t("payment.choiceRefused");
    return t("error.generic", { status: e.status });
  };
}

function PaymentStart({ paymentId, title, state: initialState, merchant, price, options, livemode, expiresAt, serverNow }: PaymentStartProps) {
  const { t, amount, locale } = useI18n();
  const router = useRouter();
  const [refreshing, startRefresh] = useTransition();
  const ended = initialState === "expired" || initialState === "blocked";

  // the server renders what comes next (the checkout, the chooser, an end state) whenever the state moves on
  const poll = useQuery({
    queryKey: ["payer-state", paymentId],
    queryFn: ({ signal }) => fetchPayerView(paymentId, undefined, signal),
    enabled: !ended,
    refetchInterval: POLL_MS,
    refetchIntervalInBackground: true,
  });
  const polled = poll.data?.state;
  const moveOn = () => startRefresh(() => router.refresh());
  useEffect(() => {
    if (polled && polled !== initialState) moveOn();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- on each answer that differs
  }, [polled, poll.dataUpdatedAt, initialState]);
  // a payment whose checkout appeared between the server's two reads
  useEffect(() => { if (initialState === "checkout") moveOn(); /* eslint-disable-next-line react-hooks/exhaustive-deps */ }, []);

  const secondsLeft = expiresAt - useNow(serverNow);
  const state: PayerState = !ended && secondsLeft <= 0 ? "expired" : initialState;

  return (
    <div lang={locale} data-testid="payment-start" data-state={state}>
      <PayerPage livemode={livemode} merchant={merchant} after={<PayerFooter />}>

            <div className="border-b border-zinc-100 px-5 py-5 sm:px-6">
              {title ? <h1 className="mb-3 text-sm font-medium break-words text-zinc-700" data-testid="checkout-title">{title}</h1>
                : <h1 className="sr-only">{merchant.name}</h1>}
              {price ? (
                <>
                  <p className="text-xs font-medium text-zinc-500">{t(state === "choose" || state === "checkout" ? "checkout.amountDue" : "pay.amount")}</p>
                  <p className="mt-0.5 text-3xl font-semibold tracking-tight break-words text-zinc-900 tabular-nums" data-testid="fiat-amount">
                    {amount(price.amount)} <span className="text-xl font-medium text-zinc-500">{price.currency}</span>
                  </p>
                </>
              ) : (
                <p className="text-sm font-medium text-zinc-700">{t("payment.noPriceYet")}</p>
              )}
              {(state === "choose" || state === "wait") && <div className="mt-3"><Countdown secondsLeft={secondsLeft} /></div>}
            </div>

            <div className="px-5 py-6 sm:px-6">
              {state === "choose" && (
                options.length > 0
                  ? <Chooser paymentId={paymentId} options={options} busy={refreshing} onDone={moveOn} />
                  : <Waiting text={t("payment.noOptions")} />
              )}
              {(state === "wait" || state === "checkout") && <Waiting text={t(state === "wait" ? "payment.waitingPrice" : "payment.continuing")} />}
              {state === "expired" && <p className="text-sm text-zinc-600" data-testid="payment-ended">{t("payment.expired")}</p>}
              {state === "blocked" && <p className="text-sm text-zinc-600" data-testid="payment-ended">{t("payment.blocked")}</p>}
            </div>
      </PayerPage>
      <p role="status" aria-live="polite" className="sr-only" data-testid="status-announcer">{t(STATE_TEXT[state])}</p>
    </div>
  );
}

function Waiting({ text }: { text: string }) {
  return (
    <p className="flex items-start gap-3 text-sm text-zinc-600" data-testid="payment-waiting">
      <Spinner className="mt-0.5 size-4 shrink-0 text-zinc-400" />
      <span>{text}</span>
    </p>
  );
}

function Chooser({ paymentId, options, busy, onDone }: { paymentId: string; options: PayOption[]; busy: boolean; onDone: () => void }) {
  const { t, amount } = useI18n();
  const errorText = useErrorText();
  const hydrated = useHydrated();
  const networks = useMemo(() => [...new Map(options.map((o) => [o.network, o])).values()], [options]);
  const [choice, setChoice] = useState(() => ({ network: options[0].network, currency: options[0].currency }));
  const currencies = options.filter((o) => o.network === choice.network);
  const picked = options.find((o) => o.network === choice.network && o.currency === choice.currency) ?? currencies[0];

  function pickNetwork(network: string) {
    const onNetwork = options.filter((o) => o.network === network);
    // keep the currency when the new network has it
    const next = onNetwork.find((o) => o.currency === choice.currency) ?? onNetwork[0];
    if (next) setChoice({ network, currency: next.currency });
  }

  const quote = useQuery({
    queryKey: ["payer-quote", paymentId, picked.currency, picked.network],
    queryFn: ({ signal }) => fetchPayerView(paymentId, { depositCurrency: picked.currency, network: picked.network }, signal),
    staleTime: 30_000,
    refetchInterval: 60_000,
    retry: false,
  });
  const submit = useMutation({
    mutationFn: () => submitPayerChoice(paymentId, { depositCurrency: picked.currency, network: picked.network }),
    onSuccess: () => onDone(),
  });
  function confirm(e: FormEvent) {
    e.preventDefault();
    if (!submit.isPending && !busy) submit.mutate();
  }
  const working = submit.isPending || busy || submit.isSuccess;
  const off = !hydrated || working;
  const q = quote.data?.quote;

  return (
    <form onSubmit={confirm} className="space-y-5" data-testid="payment-chooser">
      <div>
        <h2 className="text-base font-semibold text-zinc-900">{t("payment.chooseTitle")}</h2>
        <p className="mt-1 text-sm text-zinc-600">{t("payment.chooseHint")}</p>
      </div>
      <fieldset>
        <legend className="sr-only">{t("checkout.payWith")}</legend>
        <div className="grid grid-cols-2 gap-3">
          <SelectField id="payment-network" label={t("checkout.network")} value={picked.network} disabled={off} onChange={pickNetwork}>
            {networks.map((o) => <option key={o.network} value={o.network}>{o.networkName}</option>)}
          </SelectField>
          <SelectField id="payment-currency" label={t("checkout.currency")} value={picked.currency} disabled={off}
            onChange={(currency) => setChoice({ network: picked.network, currency })}>
            {currencies.map((o) => <option key={o.currency} value={o.currency}>{o.currency}</option>)}
          </SelectField>
        </div>
      </fieldset>

      <div className="rounded-xl bg-zinc-50 px-4 py-3 ring-1 ring-zinc-200 ring-inset" aria-live="polite">
        <p className="text-xs font-medium text-zinc-600">{t("payment.quoteLabel")}</p>
        {q && q.currency === picked.currency && q.network === picked.network ? (
          <>
            <p className="mt-0.5 text-xl font-semibold break-words text-zinc-900 tabular-nums" data-testid="quote-amount">
              {amount(q.amount)} <span className="text-base font-medium text-zinc-600">{q.currency}</span>
            </p>
            <p className="mt-1 text-xs text-zinc-600">{t("payment.quoteNote", { network: picked.networkName })}</p>
          </>
        ) : quote.isError ? (
          <p className="mt-1 text-sm text-red-800" data-testid="quote-error">{errorText(quote.error)}</p>
        ) : (
          <p className="mt-1 flex items-center gap-2 text-sm text-zinc-600"><Spinner className="size-3.5" />{t("payment.quoteLoading")}</p>
        )}
      </div>

      {submit.isError && (
        <div role="alert" className="rounded-xl bg-red-50 p-4 text-sm text-red-900 ring-1 ring-red-200 ring-inset" data-testid="choice-error">
          {errorText(submit.error)}
        </div>
      )}

      <button type="submit" className={primaryButton} disabled={off} data-testid="choice-confirm">
        {working && <Spinner />}
        {t(working ? "payment.continuing" : "payment.continue", { currency: picked.currency })}
      </button>
    </form>
  );
}
