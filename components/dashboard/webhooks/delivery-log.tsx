// The deliveries log: one row per event and target, expandable to the request (headers, body) and
// each attempt's response (status, latency, body excerpt, error), with a redeliver button.
import Link from "next/link";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { formatDateTime } from "@/components/ui/format";
import { redeliverAction } from "@/app/dashboard/webhooks/actions";
import type { LogEntry } from "@/lib/webhooks/dashboard";
import { ActionButton } from "./action-button";

const TONE: Record<string, BadgeTone> = { succeeded: "green", failed: "red", pending: "amber" };
const FILTERS = [["", "All"], ["succeeded", "Succeeded"], ["failed", "Failed"], ["pending", "Pending"]] as const;

export function StatusFilter({ mode, status }: { mode: string; status: string }) {
  return (
    <nav aria-label="Filter deliveries by status" className="flex gap-1">
      {FILTERS.map(([value, label]) => (
        <Link key={value} href={`/dashboard/webhooks?mode=${mode}${value ? `&status=${value}` : ""}`}
          aria-current={status === value ? "page" : undefined}
          className={`rounded-md px-2.5 py-1 text-sm ${status === value ? "bg-zinc-900 text-white" : "text-zinc-600 hover:bg-zinc-100"}`}>
          {label}
        </Link>
      ))}
    </nav>
  );
}

const at = (unix: number | null) => (unix === null ? "—" : formatDateTime(new Date(unix * 1000)));

/** readOnly: the signed-in user's role may not redeliver (lib/team/roles.ts) */
export function DeliveryLog({ entries, mode, readOnly = false }: { entries: LogEntry[]; mode: string; readOnly?: boolean }) {
  return (
    <ul className="divide-y divide-zinc-100 rounded-xl bg-white shadow-sm ring-1 ring-zinc-200" data-testid="delivery-log">
      {entries.map((d) => (
        <li key={d.id} data-delivery-id={d.id} className="px-4 py-3">
          <details>
            <summary className="flex cursor-pointer flex-wrap items-center gap-3 text-sm">
              <Badge tone={TONE[d.status]}>{d.status}</Badge>
              <span className="font-mono text-xs text-zinc-900">{d.eventType}</span>
              <span className="min-w-0 truncate text-zinc-500">{d.url}</span>
              <span className="ml-auto text-xs text-zinc-500">
                {d.attemptCount} attempt{d.attemptCount === 1 ? "" : "s"}{d.lastStatusCode !== null ? ` · HTTP ${d.lastStatusCode}` : ""} · {at(d.createdAt)}
                {d.status === "pending" && d.nextAttemptAt ? ` · next ${at(d.nextAttemptAt)}` : ""}
              </span>
            </summary>
            <div className="mt-3 space-y-3 text-xs">
              <div className="flex items-center gap-3">
                <span className="text-zinc-500">webhook-id <code className="font-mono text-zinc-800">{d.id}</code> · event <code className="font-mono text-zinc-800">{d.eventId}</code></span>
                {!readOnly && <ActionButton action={redeliverAction} fields={{ mode, eventId: d.eventId, endpointId: d.endpointId ?? "" }} label="Redeliver" testId="redeliver" />}
              </div>
              <div>
                <h4 className="font-medium text-zinc-700">Request body</h4>
                <pre className="mt-1 max-h-64 overflow-auto rounded bg-zinc-950 p-2 text-zinc-100">{JSON.stringify(JSON.parse(d.requestBody), null, 2)}</pre>
              </div>
              {d.attempts.length === 0 && <p className="text-zinc-500">No attempt yet.</p>}
              {d.attempts.map((a, i) => (
                <div key={a.id} className="rounded-lg p-2 ring-1 ring-zinc-200">
                  <p className="text-zinc-700">
                    Attempt {i + 1}{a.manual ? " (manual)" : ""} · {at(a.createdAt)} · {a.statusCode !== null ? `HTTP ${a.statusCode}` : "no response"} · {a.latencyMs} ms · {a.outcome}
                    {a.error && <span className="text-red-600"> · {a.error}</span>}
                  </p>
                  <details className="mt-1">
                    <summary className="cursor-pointer text-zinc-500">Request headers</summary>
                    <pre className="mt-1 overflow-auto rounded bg-zinc-50 p-2">{Object.entries(a.requestHeaders).map(([k, v]) => `${k}: ${v}`).join("\n")}</pre>
                  </details>
                  {a.responseBody !== null && a.responseBody !== "" && (
                    <pre className="mt-1 max-h-40 overflow-auto rounded bg-zinc-50 p-2">{a.responseBody}</pre>
                  )}
                </div>
              ))}
            </div>
          </details>
        </li>
      ))}
    </ul>
  );
}
