import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { CancelSessionButton } from "@/components/dashboard/sessions/cancel-session-button";
import { MetadataTable, SessionFacts } from "@/components/dashboard/sessions/session-facts";
import { SessionTimeline } from "@/components/dashboard/sessions/session-timeline";
import { SessionStatusBadge } from "@/components/dashboard/sessions/status-badge";
import { CopyableValue } from "@/components/dashboard/sessions/values";
import { ModeBadge } from "@/components/ui/badge";
import { buttonClass } from "@/components/ui/button";
import { requireMerchant } from "@/lib/auth/session";
import { getSessionDetail } from "@/lib/dashboard/sessions/get-session-detail";
import { sessionListHref, parseSessionListParams } from "@/lib/dashboard/sessions/list-params";
import { cancelSessionAction } from "./actions";

export const metadata: Metadata = { title: "Session" };

function Section({ title, id, children }: { title: string; id: string; children: React.ReactNode }) {
  return (
    <section aria-labelledby={id} className="mt-8">
      <h2 id={id} className="mb-3 text-sm font-semibold text-zinc-900">{title}</h2>
      {children}
    </section>
  );
}

export default async function SessionPage({ params }: { params: Promise<{ id: string }> }) {
  const { merchantId } = await requireMerchant();
  const { id } = await params;
  // Another merchant's session and a malformed id look the same: not found.
  const s = await getSessionDetail(merchantId, id);
  if (!s) notFound();
  const now = new Date();
  const back = sessionListHref(parseSessionListParams({}, s.livemode ? "live" : "test"));

  return (
    <>
      <Link href={back} className="mb-4 inline-flex items-center gap-1 rounded text-sm font-medium text-zinc-500 hover:text-zinc-800 focus-visible:outline-2 focus-visible:outline-indigo-600">
        <span aria-hidden="true">←</span> Sessions
      </Link>
      <div className="mb-6 flex flex-col gap-4 sm:flex-row sm:items-start sm:justify-between">
        <div className="min-w-0">
          <div className="flex flex-wrap items-center gap-2">
            <h1 className="text-2xl font-semibold tracking-tight text-zinc-900">{s.amount} {s.tokenSymbol}</h1>
            <SessionStatusBadge status={s.status} />
            <ModeBadge livemode={s.livemode} />
          </div>
          <p className="mt-1 truncate text-sm text-zinc-600" title={s.title}>{s.title}</p>
          <div className="mt-1 flex items-center gap-1 text-xs text-zinc-500">
            <span>Session</span>
            <CopyableValue value={s.id} label="session id" short={s.id} />
          </div>
        </div>
        <div className="flex shrink-0 flex-wrap gap-2">
          <a href={s.url} target="_blank" rel="noopener noreferrer" className={buttonClass("secondary")}>
            Open checkout<span className="sr-only"> (opens in a new tab)</span><span aria-hidden="true">↗</span>
          </a>
          <CancelSessionButton sessionId={s.id} title={s.title} cancelable={s.cancelable} action={cancelSessionAction} />
        </div>
      </div>

      <SessionFacts s={s} now={now} />

      <Section title="Metadata" id="metadata">
        <MetadataTable entries={s.metadata} />
      </Section>

      <Section title="Timeline" id="timeline">
        <div className="rounded-xl bg-white px-5 py-5 shadow-sm ring-1 ring-zinc-200">
          <SessionTimeline entries={s.timeline} />
        </div>
      </Section>
    </>
  );
}
