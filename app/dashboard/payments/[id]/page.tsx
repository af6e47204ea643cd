import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { CheckoutDetailHeader, DetailSection } from "@/components/dashboard/checkout-detail-header";
import { BlockPaymentButton } from "@/components/dashboard/payments/block-payment-button";
import { PaymentStatusBadge } from "@/components/dashboard/payments/status-badge";
import { CopyableValue, formatDateTimeSeconds } from "@/components/dashboard/sessions/values";
import { requireMerchant } from "@/lib/auth/session";
import { refusal } from "@/lib/team/roles";
import { getPaymentDetail } from "@/lib/dashboard/payments/get-payment-detail";
import { formatAmount, formatDecimal } from "@/lib/money/format";
import { ConfirmationsSection } from "@/components/dashboard/confirmations-section";
import { FeesSection } from "@/components/dashboard/fees-section";
import { ExceptionPanel } from "@/components/dashboard/exception-panel";
import { blockPaymentAction, paymentExceptionAction } from "./actions";

export const metadata: Metadata = { title: "Payment" };

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs font-medium text-zinc-500">{label}</dt>
      <dd className="mt-1 truncate text-sm text-zinc-900">{children}</dd>
    </div>
  );
}

const unixDate = (s: number) => formatDateTimeSeconds(new Date(s * 1000));
const cell = "px-4 py-2.5";

export default async function PaymentPage({ params }: { params: Promise<{ id: string }> }) {
  const { merchantId, role } = await requireMerchant();
  const denied = refusal(role, "checkouts:act");
  const { id } = await params;
  const d = await getPaymentDetail(merchantId, id);
  if (!d) notFound();
  const p = d.info;
  return (
    <>
      <CheckoutDetailHeader
        back={{ href: `/dashboard/payments?mode=${d.livemode ? "live" : "test"}`, label: "Payments" }}
        heading={p.expectedDisplayAmount ? `${formatDecimal(p.expectedDisplayAmount)} ${p.displayCurrency}` : "Payment"}
        status={<PaymentStatusBadge status={p.status} />}
        livemode={d.livemode}
        subtitle={p.clientPaymentId}
        kind="Payment"
        id={p.paymentId}
        checkoutUrl={p.url}
        action={denied ? undefined : <BlockPaymentButton paymentId={p.paymentId} blockable={d.blockable} action={blockPaymentAction} />}
      />

      {d.exception && <ExceptionPanel view={d.exception} action={paymentExceptionAction} kind="payment" disabledReason={denied} />}

      <dl className="grid grid-cols-1 gap-x-6 gap-y-4 rounded-xl bg-white px-5 py-5 shadow-sm ring-1 ring-zinc-200 sm:grid-cols-2 lg:grid-cols-3">
        <Fact label="Expected">{p.expectedDepositAmount ? `${formatDecimal(p.expectedDepositAmount, { maxDecimals: 8 })} ${p.depositCurrency}` : "—"}</Fact>
        <Fact label="Received">{`${formatDecimal(p.actualDepositAmount, { maxDecimals: 8 })}${p.depositCurrency ? ` ${p.depositCurrency}` : ""} · ${formatDecimal(p.actualDisplayAmount)} ${p.displayCurrency ?? ""}`}</Fact>
        <Fact label="Network">{p.expectedNetwork ?? "—"}</Fact>
        <Fact label="Deposit address">{p.walletAddress ? <CopyableValue value={p.walletAddress} label="deposit address" /> : "—"}</Fact>
        <Fact label="Rate">{p.rateType === "FIXED" ? "Fixed" : "Floating"}</Fact>
        <Fact label="Type">{p.type === "ONE_TIME" ? "One-time" : "Reusable"}</Fact>
        <Fact label="Overpayment">{p.overpaymentPolicy === "PROCESS" ? "Keep" : "Refund the excess"}</Fact>
        <Fact label="Created">{unixDate(p.paymentInitiatedAt)}</Fact>
        <Fact label="Expires after">{`${p.expirationMinutes} min`}</Fact>
      </dl>

      <DetailSection title="Rate quotes" id="quotes">
        {p.quotes.length === 0 ? <p className="text-sm text-zinc-500">No quote yet: the deposit currency has not been chosen.</p> : (
          <div className="relative overflow-x-auto rounded-xl bg-white shadow-sm ring-1 ring-zinc-200">
            <table className="min-w-full divide-y divide-zinc-200 text-sm">
              <thead className="bg-zinc-50 text-left text-xs font-medium text-zinc-500">
                <tr><th className={cell}>Used for</th><th className={cell}>Rate</th><th className={cell}>Source</th><th className={cell}>Fetched</th><th className={cell}>Valid until</th></tr>
              </thead>
              <tbody className="divide-y divide-zinc-100" data-testid="quotes">
                {p.quotes.map((q, i) => (
                  <tr key={i}>
                    <td className={cell}>{q.purpose === "submit" ? "Amount due" : "Deposit (floating)"}</td>
                    <td className={cell}>1 {q.base} = {q.rate} {q.quote}</td>
                    <td className={cell}>{q.source}</td>
                    <td className={cell}>{unixDate(q.fetchedAt)}</td>
                    <td className={cell}>{unixDate(q.expiresAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </DetailSection>

      {d.checkoutId && <ConfirmationsSection checkoutId={d.checkoutId} />}
      {d.checkoutId && <FeesSection checkoutId={d.checkoutId} />}

      <DetailSection title="Deposits" id="deposits">
        {p.deposits.length === 0 ? <p className="text-sm text-zinc-500">Nothing received yet.</p> : (
          <div className="relative overflow-x-auto rounded-xl bg-white shadow-sm ring-1 ring-zinc-200">
            <table className="min-w-full divide-y divide-zinc-200 text-sm">
              <thead className="bg-zinc-50 text-left text-xs font-medium text-zinc-500">
                <tr><th className={cell}>Amount</th><th className={cell}>Worth</th><th className={cell}>Status</th><th className={cell}>From</th><th className={cell}>Transaction</th></tr>
              </thead>
              <tbody className="divide-y divide-zinc-100" data-testid="deposits">
                {p.deposits.map((x) => (
                  <tr key={x.depositId}>
                    <td className={cell} title={`${x.amount} ${x.depositCurrency}`}>{formatDecimal(x.amount, { maxDecimals: 8 })} {x.depositCurrency}{x.followUp ? " (follow-up)" : ""}</td>
                    <td className={cell}>{formatDecimal(x.displayAmount)} {p.displayCurrency}</td>
                    <td className={cell}>{x.status === "CONFIRMED" ? "Confirmed" : "Pending"}</td>
                    <td className={cell}>{x.fromAddress ? <CopyableValue value={x.fromAddress} label="sender" /> : "—"}</td>
                    <td className={cell}><CopyableValue value={x.txHash} label="transaction hash" /></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </DetailSection>

      {d.outbound.length > 0 && (
        <DetailSection title="Outgoing transactions" id="outbound">
          <ul className="space-y-2 text-sm">
            {d.outbound.map((o, i) => (
              <li key={i} className="rounded-lg bg-white px-4 py-2.5 shadow-sm ring-1 ring-zinc-200">
                <span className="font-medium">{o.purpose.replace("_", " ")}</span> · {o.status}
                {o.amount > 0n ? ` · ${formatAmount(o.amount, { decimals: o.tokenDecimals, symbol: "" })}` : ""}
                {o.txHash ? <> · <CopyableValue value={o.txHash} label="transaction hash" /></> : null}
                {o.error ? <p className="mt-1 text-xs text-amber-800">{o.error}</p> : null}
              </li>
            ))}
          </ul>
        </DetailSection>
      )}
    </>
  );
}
