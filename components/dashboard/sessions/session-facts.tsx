import type { ReactNode } from "react";
import { formatDecimal } from "@/lib/money/format";
import { CopyButton } from "@/components/ui/copy-button";
import { formatDateTime } from "@/components/ui/format";
import type { SessionDetail } from "@/lib/dashboard/sessions/get-session-detail";
import { CopyableValue, formatDistance, TxHash } from "./values";

function Fact({ label, children, wide = false }: { label: string; children: ReactNode; wide?: boolean }) {
  return (
    <div className={`min-w-0 px-5 py-3 ${wide ? "sm:col-span-2" : ""}`}>
      <dt className="text-xs font-medium text-zinc-500">{label}</dt>
      <dd className="mt-1 min-w-0 text-sm text-zinc-900">{children}</dd>
    </div>
  );
}

const muted = "text-zinc-500";

function When({ date, now }: { date: Date; now: Date }) {
  return (
    <>
      <time dateTime={date.toISOString()}>{formatDateTime(date)}</time>
      <span className={muted}> · {formatDistance(date, now)}</span>
    </>
  );
}


const DELIVERY_LABEL = { delivered: "Delivered", refunded: "Refunded", batched: "Settling in batch" } as const;
export function SessionFacts({ s, now }: { s: SessionDetail; now: Date }) {
  return (
    <dl className="grid divide-y divide-zinc-100 rounded-xl bg-white shadow-sm ring-1 ring-zinc-200 sm:grid-cols-2 sm:divide-y-0 sm:[&>*]:border-b sm:[&>*]:border-zinc-100">
      <Fact label="Amount due">{s.amount} {s.tokenSymbol}</Fact>
      <Fact label="Payment method">
        {s.paymentMethodType
          ? <>{s.paymentMethodType.toUpperCase()}{s.paymentMethodChosenAt && <span className={muted}> · chosen {formatDateTime(s.paymentMethodChosenAt)}</span>}</>
          : <span className={muted}>Not chosen yet</span>}
      </Fact>
      {s.progress && (
        <Fact label="Paid / remaining" wide>
          {s.progress.paid} {s.tokenSymbol} paid · {s.progress.remaining} {s.tokenSymbol} remaining
          {s.progress.overpaid && <span className="text-amber-700"> · {s.progress.overpaid} {s.tokenSymbol} overpaid</span>}
        </Fact>
      )}
      {s.deliveries.map((d, i) => (
        <Fact key={d.tx?.hash ?? i} label={`${DELIVERY_LABEL[d.status]}${s.deliveries.length > 1 ? ` (${i + 1} of ${s.deliveries.length})` : ""}`} wide>
          <span className="mr-2">{formatDecimal(d.received, { maxDecimals: 8 })} {d.tokenSymbol} <span className={muted}>on {d.networkLabel}</span></span>
          {d.tx
            ? <TxHash tx={d.tx} label="delivery transaction hash" />
            : <span className={muted} data-testid="delivery-batched">yours in the ledger; forwarded with your next settlement batch (Settings → Settlement)</span>}
        </Fact>
      ))}
      <Fact label="Destination address"><CopyableValue value={s.destinationAddress} label="destination address" short={s.destinationAddress} className="w-full" /></Fact>
      <Fact label="Chain">{s.networkLabel} <span className={muted}>· chain {s.chainId}</span></Fact>
      <Fact label="Token">
        <span className="inline-flex max-w-full items-center gap-2">{s.tokenSymbol} <CopyableValue value={s.tokenAddress} label="token address" /></span>
      </Fact>
      <Fact label="Receiver address">
        {s.receiverAddress
          ? <CopyableValue value={s.receiverAddress} label="receiver address" short={s.receiverAddress} className="w-full" />
          : <span className={muted}>Assigned when the payer chooses a payment method</span>}
      </Fact>
      <Fact label="Refund address">
        {s.refundAddress ? <CopyableValue value={s.refundAddress} label="refund address" short={s.refundAddress} className="w-full" /> : <span className={muted}>None</span>}
      </Fact>
      <Fact label="Created"><When date={s.createdAt} now={now} /></Fact>
      <Fact label="Last updated"><When date={s.updatedAt} now={now} /></Fact>
      <Fact label={s.expiresAt.getTime() > now.getTime() ? "Expires" : "Expiry"}><When date={s.expiresAt} now={now} /></Fact>
      <Fact label="Hosted checkout page" wide>
        <div className="flex flex-wrap items-center gap-2">
          <a href={s.url} target="_blank" rel="noopener noreferrer" className="relative min-w-0 truncate font-mono text-xs text-indigo-600 hover:text-indigo-500 hover:underline" data-testid="checkout-url">
            {s.url}<span className="sr-only"> (opens in a new tab)</span>
          </a>
          <CopyButton value={s.url} label="Copy link" />
        </div>
      </Fact>
      {(s.successUrl || s.cancelUrl) && (
        <Fact label="Redirects" wide>
          {s.successUrl && <p className="truncate"><span className={muted}>Success: </span><span className="font-mono text-xs">{s.successUrl}</span></p>}
          {s.cancelUrl && <p className="truncate"><span className={muted}>Cancel: </span><span className="font-mono text-xs">{s.cancelUrl}</span></p>}
        </Fact>
      )}
    </dl>
  );
}

export function MetadataTable({ entries }: { entries: [string, string][] }) {
  if (entries.length === 0) return <p className="rounded-xl bg-white px-5 py-4 text-sm text-zinc-500 shadow-sm ring-1 ring-zinc-200">No metadata.</p>;
  return (
    <div className="relative overflow-x-auto rounded-xl bg-white shadow-sm ring-1 ring-zinc-200">
      <table className="min-w-full divide-y divide-zinc-200 text-sm">
        <thead className="bg-zinc-50 text-left text-xs font-medium text-zinc-500">
          <tr><th scope="col" className="w-1/3 px-5 py-2">Key</th><th scope="col" className="px-5 py-2">Value</th></tr>
        </thead>
        <tbody className="divide-y divide-zinc-100">
          {entries.map(([k, v]) => (
            <tr key={k}>
              <td className="px-5 py-2.5 font-mono text-xs text-zinc-600">{k}</td>
              <td className="px-5 py-2.5 break-all text-zinc-900">{v}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
