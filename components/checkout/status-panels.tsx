"use client";
// What the page shows once paying is out of the payer's hands, and the underpaid notice.
import { useEffect, useState, type ReactNode } from "react";
import { Spinner } from "@/components/ui/spinner";
import { useI18n } from "@/lib/i18n/react";
import { ConfirmationProgress } from "./confirmation-progress";
import { TxLink } from "./tx-link";
import { TRON_CHOICE_CHAIN_ID, type PublicSession, type TokenChoice } from "./types";
import { primaryButton } from "./wallet-pay";

const REDIRECT_SECONDS = 3;

type Explorer = (chainId: number | null | undefined) => string | null;

export function explorerFor(choices: TokenChoice[]): Explorer {
  return (chainId) => choices.find((c) => c.chainId === chainId)?.explorerTx ?? null;
}

function Panel({ icon, tone, title, children, testId }: { icon: ReactNode; tone: string; title: string; children?: ReactNode; testId: string }) {
  return (
    <section className="flex flex-col items-center text-center" data-testid={testId} aria-labelledby={`${testId}-title`}>
      <div className={`flex size-12 items-center justify-center rounded-full ${tone}`} aria-hidden="true">{icon}</div>
      <h2 id={`${testId}-title`} className="mt-4 text-lg font-semibold text-zinc-900">{title}</h2>
      <div className="mt-2 w-full space-y-4 text-sm text-zinc-600">{children}</div>
    </section>
  );
}

const check = (
  <svg className="size-6" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2.25" strokeLinecap="round" strokeLinejoin="round"><path d="m5 12.5 4.5 4.5L19 7.5" /></svg>
);

function SourceTx({ session, explorer }: { session: PublicSession; explorer: Explorer }) {
  const { t } = useI18n();
  const src = session.paymentMethod?.source;
  if (src?.chainName === "tron") {
    // Tron has no chain id; its explorers and wallets name transactions by the bare txID
    return <TxLink label={t("status.transaction")} hash={src.txHash.replace(/^0x/, "")} explorerTx={explorer(TRON_CHOICE_CHAIN_ID)} />;
  }
  if (src) return <TxLink label={t("status.transaction")} hash={src.txHash} explorerTx={explorer(src.chainId)} />;
  const d = session.destination.delivery;
  // the chain the funds settled on, which need not be the destination's
  return d?.txHash ? <TxLink label={t("status.transaction")} hash={d.txHash} explorerTx={explorer(d.chainId)} /> : null;
}

export function ProcessingPanel({ session, explorer }: { session: PublicSession; explorer: Explorer }) {
  const { t } = useI18n();
  return (
    <Panel testId="status-processing" tone="bg-[color-mix(in_srgb,var(--accent)_12%,white)] text-[var(--accent)]" icon={<Spinner className="size-6" />} title={t("status.processingTitle")}>
      <p>{t("status.processingBody")}</p>
      <ConfirmationProgress checkoutId={session.sessionId} />
      <div className="rounded-lg bg-zinc-50 px-3 py-2.5 text-left ring-1 ring-zinc-200 ring-inset"><SourceTx session={session} explorer={explorer} /></div>
    </Panel>
  );
}

export function SucceededPanel({ session, merchant, successUrl, explorer, tokenLabel }: {
  session: PublicSession; merchant: string; successUrl: string | null; explorer: Explorer; tokenLabel: string;
}) {
  const { t, amount } = useI18n();
  const [left, setLeft] = useState<number | null>(successUrl ? REDIRECT_SECONDS : null);
  useEffect(() => {
    if (left === null || !successUrl) return;
    if (left <= 0) {
      window.location.assign(successUrl);
      return;
    }
    const timer = setTimeout(() => setLeft(left - 1), 1000);
    return () => clearTimeout(timer);
  }, [left, successUrl]);
  const overpaid = session.overpaidUnits && /[1-9]/.test(session.overpaidUnits) ? session.overpaidUnits : null;

  return (
    <Panel testId="status-succeeded" tone="bg-emerald-50 text-emerald-600" icon={check} title={t("status.succeededTitle")}>
      <p>{t("status.succeededBody", { merchant })}</p>
      {overpaid && (
        <p className="rounded-lg bg-amber-50 px-3 py-2 text-xs text-amber-900 ring-1 ring-amber-600/20 ring-inset">
          {t("status.overpaid", { amount: amount(overpaid), token: tokenLabel, merchant })}
        </p>
      )}
      <div className="rounded-lg bg-zinc-50 px-3 py-2.5 text-left ring-1 ring-zinc-200 ring-inset"><SourceTx session={session} explorer={explorer} /></div>
      <p>
        <a href={`/checkout/${session.sessionId}/receipt`} data-testid="view-receipt"
          className="rounded text-sm font-medium text-zinc-700 underline underline-offset-2 hover:text-zinc-900 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-[var(--accent)]">
          {t("status.viewReceipt")}
        </a>
      </p>
      {successUrl && (
        <div className="space-y-2 pt-1">
          <a href={successUrl} className={primaryButton} data-testid="return-to-merchant">{t("status.returnToMerchant", { merchant })}</a>
          {left !== null && (
            <p className="text-xs text-zinc-500">
              {t("status.redirecting", { seconds: left })}{" "}
              <button type="button" onClick={() => setLeft(null)}
                className="rounded font-medium text-zinc-700 underline underline-offset-2 hover:text-zinc-900 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-[var(--accent)]">
                {t("status.stay")}
              </button>
            </p>
          )}
        </div>
      )}
    </Panel>
  );
}

export function BouncedPanel({ session, merchant, explorer }: { session: PublicSession; merchant: string; explorer: Explorer }) {
  const { t } = useI18n();
  const refund = session.destination.delivery;
  return (
    <Panel testId="status-bounced" tone="bg-amber-50 text-amber-600" title={t("status.bouncedTitle")}
      icon={<svg className="size-6" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round"><path d="M9 14 4 9l5-5" /><path d="M4 9h10.5a5.5 5.5 0 0 1 0 11H11" /></svg>}>
      <p className="break-words">{session.refundAddress
        ? t("status.bouncedBody", { merchant, address: session.refundAddress })
        : t("status.bouncedNoAddress", { merchant })}</p>
      {refund?.txHash && (
        <div className="rounded-lg bg-zinc-50 px-3 py-2.5 text-left ring-1 ring-zinc-200 ring-inset">
          <TxLink label={t("status.refundTransaction")} hash={refund.txHash} explorerTx={explorer(refund.chainId)} />
        </div>
      )}
    </Panel>
  );
}

export function ExpiredPanel({ session, merchant, cancelUrl }: { session: PublicSession; merchant: string; cancelUrl: string | null }) {
  const { t } = useI18n();
  return (
    <Panel testId="status-expired" tone="bg-zinc-100 text-zinc-500" title={t("status.expiredTitle")}
      icon={<svg className="size-6" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round"><circle cx="12" cy="12" r="8.5" /><path d="M12 7.5V12l3 2" /></svg>}>
      <p>{t("status.expiredBody", { merchant })}</p>
      <dl className="rounded-lg bg-zinc-50 px-3 py-2.5 text-left ring-1 ring-zinc-200 ring-inset">
        <dt className="text-xs text-zinc-500">{t("checkout.id")}</dt>
        <dd className="mt-0.5 font-mono text-xs break-all text-zinc-800 select-all">{session.sessionId}</dd>
      </dl>
      {cancelUrl && <a href={cancelUrl} className={primaryButton}>{t("status.returnToMerchant", { merchant })}</a>}
    </Panel>
  );
}

export function UnderpaidNotice({ session, tokenLabel }: { session: PublicSession; tokenLabel: string }) {
  const { t, amount } = useI18n();
  return (
    <section className="rounded-xl bg-amber-50 p-4 ring-1 ring-amber-600/20 ring-inset" data-testid="status-underpaid" aria-labelledby="underpaid-title">
      <h2 id="underpaid-title" className="text-sm font-semibold text-amber-900">{t("status.underpaidTitle")}</h2>
      <dl className="mt-2 grid grid-cols-2 gap-3">
        <div>
          <dt className="text-xs text-amber-800">{t("status.paid")}</dt>
          <dd className="text-sm font-semibold text-amber-950 tabular-nums" data-testid="paid-units">{amount(session.paidUnits ?? "0")} {tokenLabel}</dd>
        </div>
        <div>
          <dt className="text-xs text-amber-800">{t("status.remaining")}</dt>
          <dd className="text-sm font-semibold text-amber-950 tabular-nums" data-testid="remaining-units">{amount(session.remainingUnits ?? "0")} {tokenLabel}</dd>
        </div>
      </dl>
      <p className="mt-2 text-xs text-amber-900">{t("status.underpaidBody")}</p>
    </section>
  );
}
