import type { ReactNode } from "react";

export type BadgeTone = "neutral" | "green" | "amber" | "red" | "indigo";

const tones: Record<BadgeTone, string> = {
  neutral: "bg-zinc-100 text-zinc-700 ring-zinc-500/20",
  green: "bg-emerald-50 text-emerald-700 ring-emerald-600/20",
  amber: "bg-amber-50 text-amber-800 ring-amber-600/20",
  red: "bg-red-50 text-red-700 ring-red-600/20",
  indigo: "bg-indigo-50 text-indigo-700 ring-indigo-600/20",
};

export function Badge({ tone = "neutral", children }: { tone?: BadgeTone; children: ReactNode }) {
  return (
    <span className={`inline-flex items-center rounded-md px-1.5 py-0.5 text-xs font-medium ring-1 ring-inset ${tones[tone]}`}>
      {children}
    </span>
  );
}

export function ModeBadge({ livemode }: { livemode: boolean }) {
  return <Badge tone={livemode ? "green" : "amber"}>{livemode ? "Live" : "Test"}</Badge>;
}

/** The tones a status can take; each status vocabulary maps its values onto them. */
export type StatusTone = "idle" | "waiting" | "busy" | "done" | "doneMore" | "failed" | "ended";

const STATUS_TONES: Record<StatusTone, { badge: string; dot: string }> = {
  idle: { badge: "bg-zinc-100 text-zinc-700 ring-zinc-500/20", dot: "bg-zinc-400" },
  waiting: { badge: "bg-sky-50 text-sky-800 ring-sky-600/20", dot: "bg-sky-500" },
  busy: { badge: "bg-amber-50 text-amber-800 ring-amber-600/25", dot: "bg-amber-500" },
  done: { badge: "bg-emerald-50 text-emerald-700 ring-emerald-600/20", dot: "bg-emerald-500" },
  doneMore: { badge: "bg-emerald-50 text-emerald-700 ring-emerald-600/20", dot: "bg-emerald-700" },
  failed: { badge: "bg-red-50 text-red-700 ring-red-600/20", dot: "bg-red-500" },
  ended: { badge: "bg-white text-zinc-500 ring-zinc-300", dot: "bg-zinc-300" },
};

/** A status with a coloured dot: the readable label shown, the API value on hover and in data-status. */
export function StatusPill({ status, label, tone }: { status: string; label: string; tone: StatusTone }) {
  const t = STATUS_TONES[tone];
  return (
    <span
      className={`inline-flex items-center gap-1.5 rounded-md px-1.5 py-0.5 text-xs font-medium whitespace-nowrap ring-1 ring-inset ${t.badge}`}
      title={status}
      data-status={status}
    >
      <span className={`size-1.5 rounded-full ${t.dot}`} aria-hidden="true" />
      {label}
    </span>
  );
}
