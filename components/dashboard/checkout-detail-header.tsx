// The top of a checkout's detail page (session or payment): back link, amount, status, mode,
// subtitle, the id with a copy button, "Open checkout" and the page's own action.
import Link from "next/link";
import type { ReactNode } from "react";
import { ModeBadge } from "@/components/ui/badge";
import { buttonClass } from "@/components/ui/button";
import { CopyableValue } from "@/components/dashboard/sessions/values";

export function CheckoutDetailHeader(props: {
  back: { href: string; label: string };
  heading: ReactNode;
  status: ReactNode;
  livemode: boolean;
  subtitle: string;
  /** "Session", "Payment" */
  kind: string;
  id: string;
  checkoutUrl: string;
  action: ReactNode;
}) {
  return (
    <>
      <Link href={props.back.href} className="mb-4 inline-flex items-center gap-1 rounded text-sm font-medium text-zinc-500 hover:text-zinc-800 focus-visible:outline-2 focus-visible:outline-indigo-600">
        <span aria-hidden="true">←</span> {props.back.label}
      </Link>
      <div className="mb-6 flex flex-col gap-4 sm:flex-row sm:items-start sm:justify-between">
        <div className="min-w-0">
          <div className="flex flex-wrap items-center gap-2">
            <h1 className="text-2xl font-semibold tracking-tight text-zinc-900">{props.heading}</h1>
            {props.status}
            <ModeBadge livemode={props.livemode} />
          </div>
          <p className="mt-1 truncate text-sm text-zinc-600" title={props.subtitle}>{props.subtitle}</p>
          <div className="mt-1 flex items-center gap-1 text-xs text-zinc-500">
            <span>{props.kind}</span>
            <CopyableValue value={props.id} label={`${props.kind.toLowerCase()} id`} short={props.id} />
          </div>
        </div>
        <div className="flex shrink-0 flex-wrap gap-2">
          <a href={props.checkoutUrl} target="_blank" rel="noopener noreferrer" className={buttonClass("secondary")}>
            Open checkout<span className="sr-only"> (opens in a new tab)</span><span aria-hidden="true">↗</span>
          </a>
          {props.action}
        </div>
      </div>
    </>
  );
}

/** A titled part of a checkout's detail page (timeline, deposits, quotes, …). */
export function DetailSection({ title, id, children }: { title: string; id: string; children: ReactNode }) {
  return (
    <section aria-labelledby={id} className="mt-8">
      <h2 id={id} className="mb-3 text-sm font-semibold text-zinc-900">{title}</h2>
      {children}
    </section>
  );
}
