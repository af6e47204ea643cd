import type { ReactNode } from "react";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import type { TimelineEntry } from "@/lib/dashboard/sessions/timeline";
import { CopyableValue, formatDateTimeSeconds, TxHash } from "./values";

const EVENT_LABELS: Record<string, string> = {
  "session.processing": "Payment detected, processing",
  "session.succeeded": "Payment succeeded",
  "session.bounced": "Forwarding failed, payment refunded",
  "session.expired": "Session expired",
  "session.underpaid": "Underpaid: waiting for the rest",
  "session.late_payment": "Late payment received",
};

const EVENT_TONES: Record<string, string> = {
  "session.processing": "bg-amber-500",
  "session.succeeded": "bg-emerald-500",
  "session.bounced": "bg-red-500",
  "session.expired": "bg-zinc-400",
  "session.underpaid": "bg-amber-500",
  "session.late_payment": "bg-orange-500",
};

const PURPOSE_LABELS: Record<string, string> = {
  forward: "Forwarding transaction",
  gas_funding: "Gas funding transaction",
  refund: "Refund transaction",
  excess_refund: "Overpayment refund transaction",
  // Tron Stake 2.0: the amount is the staked TRX whose energy was lent; no TRX moves
  energy_delegation: "Energy lent to the receiver (staked TRX)",
  energy_reclaim: "Energy taken back from the receiver (staked TRX)",
  withdrawal: "Withdrawal transaction",
  sweep: "Sweep transaction",
};

const OUTBOUND_STATUS: Record<string, { label: string; tone: BadgeTone }> = {
  created: { label: "Created", tone: "neutral" },
  signed: { label: "Signed", tone: "neutral" },
  broadcast: { label: "Broadcast", tone: "indigo" },
  confirmed: { label: "Confirmed", tone: "green" },
  failed: { label: "Failed", tone: "red" },
};

const DEPOSIT_PHASE = {
  seen: { title: "Deposit seen", dot: "bg-sky-500" },
  confirmed: { title: "Deposit confirmed", dot: "bg-emerald-500" },
  reverted: { title: "Deposit reverted (chain reorganisation)", dot: "bg-red-500" },
} as const;

function Detail({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="flex min-w-0 items-center gap-1.5">
      <dt className="shrink-0 text-zinc-500">{label}</dt>
      <dd className="min-w-0">{children}</dd>
    </div>
  );
}

function Item({ at, dot, title, badges, children }: { at: Date; dot: string; title: ReactNode; badges?: ReactNode; children?: ReactNode }) {
  return (
    <li className="relative pb-6 pl-7 last:pb-0">
      {/* the line joining this entry to the next */}
      <span className="absolute top-4 bottom-0 left-[5px] w-px bg-zinc-200 [li:last-child>&]:hidden" aria-hidden="true" />
      <span className={`absolute top-1.5 left-0 size-[11px] rounded-full ring-4 ring-white ${dot}`} aria-hidden="true" />
      <div className="flex flex-wrap items-baseline justify-between gap-x-3 gap-y-1">
        <p className="flex flex-wrap items-center gap-2 text-sm font-medium text-zinc-900">{title}{badges}</p>
        <time dateTime={at.toISOString()} className="text-xs whitespace-nowrap text-zinc-500">{formatDateTimeSeconds(at)}</time>
      </div>
      {children && <dl className="mt-1.5 space-y-1 text-xs">{children}</dl>}
    </li>
  );
}

function Entry({ e }: { e: TimelineEntry }) {
  switch (e.kind) {
    case "created":
      return <Item at={e.at} dot="bg-zinc-300" title="Session created" />;
    case "event":
      return (
        <Item
          at={e.at}
          dot={EVENT_TONES[e.type] ?? "bg-indigo-500"}
          title={<>{EVENT_LABELS[e.type] ?? e.type}</>}
          badges={<code className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-[11px] font-normal text-zinc-600">{e.type}</code>}
        />
      );
    case "deposit": {
      const phase = DEPOSIT_PHASE[e.phase];
      return (
        <Item
          at={e.at}
          dot={phase.dot}
          title={<>{phase.title}: {e.amount} {e.symbol}</>}
          badges={<>
            {e.late && <Badge tone="amber">Late</Badge>}
            {e.belowMinimum && <Badge tone="amber">Below minimum</Badge>}
            {e.phase === "seen" && e.status === "reverted" && <Badge tone="red">Reverted later</Badge>}
          </>}
        >
          <Detail label="Transaction"><TxHash tx={e.tx} /></Detail>
          {e.from && <Detail label="From"><CopyableValue value={e.from} label="sender address" /></Detail>}
          <Detail label="Block"><span className="font-mono text-zinc-700">{e.blockNumber}</span><span className="text-zinc-500"> on {e.tx.networkLabel}</span></Detail>
        </Item>
      );
    }
    case "outbound": {
      const status = OUTBOUND_STATUS[e.status] ?? { label: e.status, tone: "neutral" as const };
      return (
        <Item
          at={e.at}
          dot={e.status === "failed" ? "bg-red-500" : e.status === "confirmed" ? "bg-emerald-500" : "bg-indigo-400"}
          title={<>{PURPOSE_LABELS[e.purpose] ?? e.purpose}: {e.amount} {e.symbol}</>}
          badges={<Badge tone={status.tone}>{status.label}</Badge>}
        >
          {e.tx ? <Detail label="Transaction"><TxHash tx={e.tx} /></Detail> : <Detail label="Transaction"><span className="text-zinc-500">not broadcast yet</span></Detail>}
          <Detail label="To"><CopyableValue value={e.to} label="recipient address" /></Detail>
          {e.error && <Detail label="Error"><span className="text-red-700">{e.error}</span></Detail>}
        </Item>
      );
    }
  }
}

export function SessionTimeline({ entries }: { entries: TimelineEntry[] }) {
  return (
    <ol className="relative" aria-label="Timeline" data-testid="session-timeline">
      {entries.map((e) => <Entry key={e.key} e={e} />)}
    </ol>
  );
}
