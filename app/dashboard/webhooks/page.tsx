import type { Metadata } from "next";
import Link from "next/link";
import { icons } from "@/components/dashboard/nav-icons";
import { ActionButton } from "@/components/dashboard/webhooks/action-button";
import { AddEndpoint } from "@/components/dashboard/webhooks/add-endpoint";
import { DeliveryLog, StatusFilter } from "@/components/dashboard/webhooks/delivery-log";
import { EventCheckboxes } from "@/components/dashboard/webhooks/event-checkboxes";
import { SecretControls } from "@/components/dashboard/webhooks/secret-controls";
import { Badge, ModeBadge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { formatDateTime } from "@/components/ui/format";
import { PageHeader } from "@/components/ui/page-header";
import { requireMerchant } from "@/lib/auth/session";
import { RoleNotice } from "@/components/dashboard/role-notice";
import { refusal } from "@/lib/team/roles";
import { config } from "@/lib/config";
import { recentDeliveries, type DeliveryStatus } from "@/lib/webhooks/dashboard";
import { endpointView, listEndpoints } from "@/lib/webhooks/endpoints";
import { RevokeDialog } from "@/components/ui/revoke-dialog";
import { deleteEndpointAction, sendTestAction, setEnabledAction, updateEventsAction } from "./actions";

export const metadata: Metadata = { title: "Webhooks" };

const STATUSES = ["succeeded", "failed", "pending"] as const;

export default async function WebhooksPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { merchantId, role } = await requireMerchant();
  const denied = refusal(role, "webhooks:write");
  const sp = await searchParams;
  const mode = sp.mode === "live" || sp.mode === "test" ? sp.mode : config().mode;
  const status = STATUSES.find((s) => s === sp.status) as DeliveryStatus | undefined;
  const scope = { merchantId, livemode: mode === "live" };
  const { rows } = await listEndpoints(scope, { limit: 100 });
  const log = await recentDeliveries(scope, { status, limit: 50 });
  const other = mode === "live" ? "test" : "live";

  return (
    <>
      <PageHeader
        title="Webhooks"
        description={<>Signed (Standard Webhooks) POSTs to your server when sessions, payments, deposits and withdrawals change. <Link className="text-indigo-600 hover:underline" href={`/dashboard/webhooks?mode=${other}`}>Show {other} mode</Link></>}
        actions={denied ? undefined : <AddEndpoint mode={mode} checkboxes={<EventCheckboxes idPrefix="new" />} />}
      />
      <RoleNotice reason={denied} />
      <section aria-labelledby="endpoints-title" className="space-y-3">
        <h2 id="endpoints-title" className="flex items-center gap-2 text-sm font-semibold text-zinc-900">Endpoints <ModeBadge livemode={mode === "live"} /></h2>
        {rows.length === 0 ? (
          <EmptyState icon={icons.webhooks} title={`No ${mode} endpoints yet`} description="Add an endpoint to receive events. Test mode accepts local URLs such as http://127.0.0.1:4000/hooks." />
        ) : (
          <ul className="space-y-3">
            {rows.map((e) => {
              const v = endpointView(e);
              return (
                <li key={e.id} data-endpoint-id={e.id} className="rounded-xl bg-white p-4 shadow-sm ring-1 ring-zinc-200">
                  <div className="flex flex-wrap items-center gap-2">
                    <span className="font-mono text-sm break-all text-zinc-900">{e.url}</span>
                    {e.enabled ? <Badge tone="green">Enabled</Badge> : <Badge tone="red">Disabled</Badge>}
                    {e.failingSince && e.enabled && <Badge tone="amber">Failing since {formatDateTime(e.failingSince)}</Badge>}
                    {!denied && <span className="ml-auto flex flex-wrap gap-2">
                      <ActionButton action={sendTestAction} fields={{ id: e.id, mode }} label="Send test event" testId="send-test" />
                      <ActionButton action={setEnabledAction} fields={{ id: e.id, mode, enabled: String(!e.enabled) }} label={e.enabled ? "Disable" : "Enable"} />
                      <RevokeDialog id={e.id} label={`endpoint ${e.url}`} field="id" hidden={{ mode }} action={deleteEndpointAction} verb="Delete" confirmLabel="Delete endpoint">
                        Events are no longer sent to it, including deliveries still waiting for a retry. Its delivery log goes with it. This cannot be undone.
                      </RevokeDialog>
                    </span>}
                  </div>
                  {e.description && <p className="mt-1 text-sm text-zinc-500">{e.description}</p>}
                  {!e.enabled && e.disabledReason && (
                    <p role="alert" className="mt-2 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
                      Disabled automatically {e.disabledAt ? `on ${formatDateTime(e.disabledAt)}` : ""}: {e.disabledReason}. Fix the endpoint, then enable it again.
                    </p>
                  )}
                  <div className="mt-2 text-xs text-zinc-500">
                    <span className="font-mono">{e.id}</span> · events: <span className="font-mono">{e.events.join(", ")}</span>
                  </div>
                  {!denied && <>
                    <div className="mt-2"><SecretControls id={e.id} mode={mode} masked={v.secret} /></div>
                    <details className="mt-2">
                      <summary className="cursor-pointer text-sm text-indigo-600">Edit events</summary>
                      <EditEvents id={e.id} mode={mode} selected={e.events} />
                    </details>
                  </>}
                </li>
              );
            })}
          </ul>
        )}
      </section>
      <section aria-labelledby="log-title" className="mt-8 space-y-3">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <h2 id="log-title" className="text-sm font-semibold text-zinc-900">Deliveries</h2>
          <StatusFilter mode={mode} status={status ?? ""} />
        </div>
        {log.length === 0
          ? <EmptyState icon={icons.webhooks} title={status ? `No ${status} deliveries` : "No deliveries yet"} description="Every event sent to an endpoint appears here with its request and each attempt's response." />
          : <DeliveryLog entries={log} mode={mode} readOnly={!!denied} />}
      </section>
    </>
  );
}

function EditEvents({ id, mode, selected }: { id: string; mode: string; selected: string[] }) {
  // a plain form: the server action saves and the page re-renders with the new list
  async function save(data: FormData) {
    "use server";
    await updateEventsAction({}, data);
  }
  return (
    <form action={save} className="mt-2 space-y-3">
      <input type="hidden" name="id" value={id} />
      <input type="hidden" name="mode" value={mode} />
      <EventCheckboxes selected={selected} idPrefix={id} />
      <button type="submit" className="rounded-md bg-zinc-900 px-3 py-1.5 text-sm text-white">Save events</button>
    </form>
  );
}
