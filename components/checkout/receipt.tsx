"use client";
// The payer's receipt for a paid checkout (app/checkout/[id]/receipt): printable on one page, the
// print button and the language switcher left out of the print. Dates in the payer's language.
import { useI18n } from "@/lib/i18n/react";
import type { ReceiptView } from "@/lib/checkout/receipt";
import { PayerFooter, PayerPage } from "./frame";
import { TxLink } from "./tx-link";

export function Receipt({ receipt }: { receipt: ReceiptView }) {
  const { t, locale, amount } = useI18n();
  const date = (iso: string) => new Intl.DateTimeFormat(locale, { dateStyle: "long", timeStyle: "short", timeZone: "UTC" }).format(new Date(iso)) + " UTC";
  const back = (
    <a href={`/checkout/${receipt.id}`} className="rounded font-medium text-zinc-700 underline underline-offset-2 hover:text-zinc-900 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-[var(--accent)] print:hidden">
      {t("receipt.back")}
    </a>
  );
  return (
    <PayerPage livemode={receipt.livemode} merchant={receipt.merchant} after={<PayerFooter>{back}</PayerFooter>}>
      <div className="space-y-5 px-5 py-6 sm:px-6" data-testid="receipt">
        <div>
          <h1 className="text-lg font-semibold text-zinc-900">{t("receipt.title")}</h1>
          <p className="mt-1 text-sm break-words text-zinc-600">{receipt.title}</p>
        </div>
        {receipt.paidAt === null ? (
          <p className="rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-amber-600/20 ring-inset" data-testid="receipt-unpaid">{t("receipt.notPaid")}</p>
        ) : (
          <>
            <dl className="divide-y divide-zinc-100 rounded-lg ring-1 ring-zinc-200 ring-inset text-sm">
              <div className="flex flex-wrap justify-between gap-x-3 gap-y-1 px-3 py-2.5">
                <dt className="text-zinc-600">{t("receipt.amount")}</dt>
                <dd className="font-semibold text-zinc-900 tabular-nums" data-testid="receipt-amount">{amount(receipt.amount)} {receipt.asset}</dd>
              </div>
              {receipt.price && (
                <div className="flex flex-wrap justify-between gap-x-3 gap-y-1 px-3 py-2.5">
                  <dt className="text-zinc-600">{t("receipt.price")}</dt>
                  <dd className="text-zinc-900 tabular-nums">{amount(receipt.price.amount)} {receipt.price.currency}</dd>
                </div>
              )}
              <div className="flex flex-wrap justify-between gap-x-3 gap-y-1 px-3 py-2.5">
                <dt className="text-zinc-600">{t("receipt.paidTo")}</dt>
                <dd className="text-zinc-900">{receipt.merchant.name || "—"}</dd>
              </div>
              <div className="flex flex-wrap justify-between gap-x-3 gap-y-1 px-3 py-2.5">
                <dt className="text-zinc-600">{t("receipt.date")}</dt>
                <dd className="text-zinc-900">{date(receipt.paidAt)}</dd>
              </div>
              <div className="flex flex-wrap justify-between gap-x-3 gap-y-1 px-3 py-2.5">
                <dt className="text-zinc-600">{t("receipt.reference")}</dt>
                <dd className="font-mono text-xs break-all text-zinc-900">{receipt.id}</dd>
              </div>
            </dl>
            <section aria-labelledby="receipt-transactions">
              <h2 id="receipt-transactions" className="mb-2 text-sm font-semibold text-zinc-900">{t("receipt.transactions")}</h2>
              <ul className="space-y-2">
                {receipt.transactions.map((x) => (
                  <li key={x.txHash + x.amount} className="rounded-lg bg-zinc-50 px-3 py-2.5 ring-1 ring-zinc-200 ring-inset">
                    <TxLink label={`${amount(x.amount)} ${x.asset} · ${x.network}`} hash={x.txHash} href={x.explorerUrl} />
                  </li>
                ))}
              </ul>
            </section>
            <button type="button" onClick={() => window.print()}
              className="w-full rounded-lg bg-[var(--accent)] px-4 py-2.5 text-sm font-semibold text-[var(--accent-fg)] hover:opacity-90 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-[var(--accent)] print:hidden">
              {t("receipt.print")}
            </button>
          </>
        )}
      </div>
    </PayerPage>
  );
}
