import type { Metadata } from "next";
import { buttonClass } from "@/components/ui/button";
import { ModeSwitch, SearchForm, StatusTabs } from "@/components/dashboard/sessions/list-controls";
import { NoMatchingSessions, NoSessionsYet } from "@/components/dashboard/sessions/empty-states";
import { Pagination, SessionsTable } from "@/components/dashboard/sessions/sessions-table";
import { STATUS_LABELS } from "@/components/dashboard/sessions/status-badge";
import { PageHeader } from "@/components/ui/page-header";
import { requireMerchant } from "@/lib/auth/session";
import { config } from "@/lib/config";
import { createSessionExample } from "@/lib/dashboard/sessions/create-example";
import { describeFilters, hasFilters, networkOptions, NO_FILTERS } from "@/lib/dashboard/list-filters";
import { parseSessionListParams, sessionListHref, SESSIONS_PATH } from "@/lib/dashboard/sessions/list-params";
import { ListFilterBar } from "@/components/dashboard/list-filters";
import { hasAnySession, listDashboardSessions } from "@/lib/dashboard/sessions/list-sessions";

export const metadata: Metadata = { title: "Sessions" };

export default async function SessionsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { merchantId } = await requireMerchant();
  const instanceMode = config().mode;
  // Without ?mode the list shows the instance's own mode, the one the navigation's indicator names.
  const params = parseSessionListParams(await searchParams, instanceMode);
  const livemode = params.mode === "live";
  const filtered = params.status !== null || params.q !== "" || hasFilters(params.filters);

  const page = await listDashboardSessions(merchantId, { livemode, status: params.status, q: params.q, filters: params.filters, after: params.after, before: params.before });
  // Only an empty page needs to know which empty state it is.
  const anyAtAll = page.items.length > 0 || (filtered && (await hasAnySession(merchantId, livemode)));
  const example = anyAtAll ? null : await createSessionExample(merchantId, livemode);
  const now = new Date();

  return (
    <>
      <PageHeader
        title="Sessions"
        description="Checkout sessions created with the API and paid on the hosted checkout page."
        actions={<ModeSwitch params={params} />}
      />
      {anyAtAll ? (
        <div className="space-y-4">
          <StatusTabs params={params} />
          <div className="flex flex-col gap-2 sm:flex-row sm:items-center sm:justify-between">
            <SearchForm params={params} />
            <a href={sessionListHref(params).replace(SESSIONS_PATH, `${SESSIONS_PATH}/export`)} className={buttonClass("ghost")} download>Export CSV</a>
          </div>
          <ListFilterBar
            action={SESSIONS_PATH}
            idPrefix="session-filter"
            hidden={{ mode: params.mode, status: params.status ?? "", q: params.q }}
            filters={params.filters}
            networks={networkOptions(livemode)}
            clearHref={hasFilters(params.filters) ? sessionListHref(params, { filters: NO_FILTERS }) : null}
          />
          {page.items.length === 0 ? (
            <NoMatchingSessions
              q={params.q}
              statusLabel={params.status && STATUS_LABELS[params.status]}
              filters={describeFilters(params.filters)}
              clearHref={sessionListHref(params, { status: null, q: "", filters: NO_FILTERS })}
            />
          ) : (
            <div>
              <SessionsTable items={page.items} now={now} />
              <Pagination
                prevHref={page.prevBefore ? sessionListHref(params, { before: page.prevBefore }) : null}
                nextHref={page.nextAfter ? sessionListHref(params, { after: page.nextAfter }) : null}
              />
            </div>
          )}
        </div>
      ) : (
        <NoSessionsYet mode={params.mode} example={example} instanceMode={instanceMode} />
      )}
    </>
  );
}
