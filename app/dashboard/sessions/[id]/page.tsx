import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { CheckoutDetailHeader, DetailSection } from "@/components/dashboard/checkout-detail-header";
import { CancelSessionButton } from "@/components/dashboard/sessions/cancel-session-button";
import { MetadataTable, SessionFacts } from "@/components/dashboard/sessions/session-facts";
import { SessionTimeline } from "@/components/dashboard/sessions/session-timeline";
import { SessionStatusBadge } from "@/components/dashboard/sessions/status-badge";
import { requireMerchant } from "@/lib/auth/session";
import { refusal } from "@/lib/team/roles";
import { getSessionDetail } from "@/lib/dashboard/sessions/get-session-detail";
import { sessionListHref, parseSessionListParams } from "@/lib/dashboard/sessions/list-params";
import { ConfirmationsSection } from "@/components/dashboard/confirmations-section";
import { FeesSection } from "@/components/dashboard/fees-section";
import { ExceptionPanel } from "@/components/dashboard/exception-panel";
import { cancelSessionAction, sessionExceptionAction } from "./actions";

export const metadata: Metadata = { title: "Session" };

export default async function SessionPage({ params }: { params: Promise<{ id: string }> }) {
  const { merchantId, role } = await requireMerchant();
  const denied = refusal(role, "checkouts:act");
  const { id } = await params;
  // Another merchant's session and a malformed id look the same: not found.
  const s = await getSessionDetail(merchantId, id);
  if (!s) notFound();
  const now = new Date();
  const back = sessionListHref(parseSessionListParams({}, s.livemode ? "live" : "test"));

  return (
    <>
      <CheckoutDetailHeader
        back={{ href: back, label: "Sessions" }}
        heading={`${s.amount} ${s.tokenSymbol}`}
        status={<SessionStatusBadge status={s.status} />}
        livemode={s.livemode}
        subtitle={s.title}
        kind="Session"
        id={s.id}
        checkoutUrl={s.url}
        action={denied ? undefined : <CancelSessionButton sessionId={s.id} title={s.title} cancelable={s.cancelable} action={cancelSessionAction} />}
      />

      <ExceptionPanel view={s.exception} action={sessionExceptionAction} disabledReason={denied} />

      <SessionFacts s={s} now={now} />

      <ConfirmationsSection checkoutId={s.id} />

      <FeesSection checkoutId={s.id} />

      <DetailSection title="Metadata" id="metadata">
        <MetadataTable entries={s.metadata} />
      </DetailSection>

      <DetailSection title="Timeline" id="timeline">
        <div className="rounded-xl bg-white px-5 py-5 shadow-sm ring-1 ring-zinc-200">
          <SessionTimeline entries={s.timeline} />
        </div>
      </DetailSection>
    </>
  );
}
