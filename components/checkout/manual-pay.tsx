"use client";
// Paying by hand or from a phone: QR (what it carries comes from the token's family: EIP-681 with
// the amount, or Tron's plain base58 address, which Tron wallets scan), address and amount to
// copy, and which token and network to use; a plain-address QR for wallets that read no payment
// request, and links that open this page in the family's mobile wallets.
import { useState } from "react";
import { isNativeToken } from "@/lib/checkout/native-token";
import { useI18n } from "@/lib/i18n/react";
import type { Due } from "./amounts";
import { CopyField } from "./copy-field";
import type { ReceiverCheckoutFamily } from "./families";
import { QrCode } from "./qr-code";
import type { TokenChoice } from "./types";

type Props = {
  family: ReceiverCheckoutFamily; choice: TokenChoice; receiver: string; due: Due; remaining: boolean;
  /** the checkout page's own URL, which the wallet links open in a wallet's browser */
  pageUrl?: string;
};

const linkClass = "rounded text-xs font-medium text-[var(--accent)] underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-[var(--accent)]";

export function ManualPay({ family, choice, receiver, due, remaining, pageUrl }: Props) {
  const { t, amount } = useI18n();
  const request = family.qr(choice, receiver, due.units);
  // the payment request (amount and token in it) or the plain address, which every wallet scans
  const [plain, setPlain] = useState(false);
  const canToggle = request.uri !== receiver;
  const { uri, opensWallet } = plain && canToggle ? { uri: receiver, opensWallet: false } : request;
  const vars = { amount: amount(due.decimal), token: choice.label, network: choice.networkName };
  const wallets = pageUrl ? family.wallets(pageUrl) : [];
  return (
    <section className="space-y-4" aria-labelledby="manual-heading" data-testid="manual-pay">
      <div className="flex flex-col items-center gap-3">
        <QrCode value={uri} alt={t(plain && canToggle ? "pay.qrAddressAlt" : "pay.qrAlt", { ...vars, address: receiver })} />
        {canToggle && (
          <div className="inline-flex rounded-lg bg-zinc-100 p-0.5 text-xs ring-1 ring-zinc-200 ring-inset" role="group" aria-label={t("pay.qrKind")} data-testid="qr-toggle">
            {([false, true] as const).map((p) => (
              <button key={String(p)} type="button" aria-pressed={plain === p} onClick={() => setPlain(p)}
                className={`rounded-md px-2.5 py-1 font-medium focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-[var(--accent)] ${plain === p ? "bg-white text-zinc-900 shadow-sm" : "text-zinc-600 hover:text-zinc-900"}`}>
                {t(p ? "pay.qrAddress" : "pay.qrRequest")}
              </button>
            ))}
          </div>
        )}
        {opensWallet && <a href={uri} className={`${linkClass} sm:hidden`}>{t("pay.openInWallet")}</a>}
      </div>
      <h2 id="manual-heading" className="text-center text-sm text-zinc-700">
        {t(remaining ? "pay.sendRemaining" : "pay.sendExactly", vars)}
      </h2>
      <CopyField id="pay-address" label={t("pay.address")} value={receiver} copyLabel="copy.address" copiedMessage="copy.copiedAddress" mono />
      <CopyField id="pay-amount" label={t("pay.amount")} value={due.decimal} display={`${amount(due.decimal)} ${choice.label}`} copyLabel="copy.amount" copiedMessage="copy.copiedAmount" />
      <p className="flex gap-2 rounded-lg bg-amber-50 px-3 py-2 text-xs text-amber-900 ring-1 ring-amber-600/20 ring-inset" data-testid="network-warning">
        <svg className="mt-px size-4 shrink-0 text-amber-600" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true">
          <path fillRule="evenodd" d="M8.485 2.495c.673-1.167 2.357-1.167 3.03 0l6.28 10.875c.673 1.167-.17 2.625-1.516 2.625H3.72c-1.347 0-2.189-1.458-1.515-2.625L8.485 2.495ZM10 5a.75.75 0 0 1 .75.75v3.5a.75.75 0 0 1-1.5 0v-3.5A.75.75 0 0 1 10 5Zm0 9a1 1 0 1 0 0-2 1 1 0 0 0 0 2Z" clipRule="evenodd" />
        </svg>
        {/* a native coin has no token standard to name: the generic "send only … on …" */}
        {t(isNativeToken(choice.tokenAddress) ? "pay.onlyThis" : family.warning, { token: choice.label, network: choice.networkName })}
      </p>
      {wallets.length > 0 && (
        <nav aria-label={t("pay.walletLinks")} data-testid="wallet-links">
          <p className="text-center text-xs text-zinc-600">{t("pay.walletLinks")}</p>
          <ul className="mt-2 flex flex-wrap justify-center gap-2">
            {wallets.map((w) => (
              <li key={w.id}>
                <a href={w.href} data-wallet={w.id} rel="noopener noreferrer"
                  className="inline-flex items-center rounded-lg bg-white px-3 py-1.5 text-xs font-medium text-zinc-800 shadow-xs ring-1 ring-zinc-300 ring-inset hover:bg-zinc-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-[var(--accent)]">
                  {w.name}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      )}
    </section>
  );
}

/** Placeholder while the server issues the deposit address. */
export function ManualPaySkeleton() {
  const { t } = useI18n();
  return (
    <div className="space-y-4" aria-busy="true" data-testid="manual-pay-loading">
      <p className="sr-only" role="status">{t("pay.preparing")}</p>
      <div className="mx-auto size-[12.5rem] animate-pulse rounded-xl bg-zinc-100" />
      <div className="mx-auto h-4 w-3/4 animate-pulse rounded bg-zinc-100" />
      <div className="h-14 animate-pulse rounded-lg bg-zinc-100" />
      <div className="h-14 animate-pulse rounded-lg bg-zinc-100" />
    </div>
  );
}
