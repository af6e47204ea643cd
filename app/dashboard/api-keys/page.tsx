import type { Metadata } from "next";
import { icons } from "@/components/dashboard/nav-icons";
import { Badge, ModeBadge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { formatDate, formatDateTime, formatRelative } from "@/components/ui/format";
import { PageHeader } from "@/components/ui/page-header";
import { listApiKeys } from "@/lib/api-keys/keys";
import { describePermissions, parsePermissions, RESOURCES, type Permissions } from "@/lib/api-keys/permissions";
import { requireMerchant } from "@/lib/auth/session";
import { RoleNotice } from "@/components/dashboard/role-notice";
import { refusal } from "@/lib/team/roles";
import { CreateKey } from "./create-key";
import { RevokeKey } from "./revoke-key";

export const metadata: Metadata = { title: "API keys" };

// a stored set that does not parse grants nothing (lib/api-keys/keys authenticateKey)
const NO_ACCESS_TEXT = Object.fromEntries(Object.keys(RESOURCES).map((r) => [r, "none"])) as Permissions;

export default async function ApiKeysPage() {
  const { merchantId, role } = await requireMerchant();
  const denied = refusal(role, "api-keys:write");
  const keys = await listApiKeys(merchantId);
  const now = new Date();
  return (
    <>
      <PageHeader
        title="API keys"
        description={<>Secret keys authenticate your server with the API. Send one as <code className="rounded bg-zinc-100 px-1 py-0.5 text-xs">Authorization: Bearer sk_…</code>.</>}
        // one CreateKey at a fixed place in the tree: its dialog (holding the new key) must survive the
        // re-render that turns the empty state into the table
        actions={<CreateKey disabledReason={denied} />}
      />
      <RoleNotice reason={denied} />
      {keys.length === 0 ? (
        <EmptyState
          icon={icons.apiKeys}
          title="No API keys yet"
          description="Create a test key to start calling the API. Each key is shown once, when you create it."
        />
      ) : (
        <div className="relative overflow-x-auto rounded-xl bg-white shadow-sm ring-1 ring-zinc-200">
          <table className="min-w-full divide-y divide-zinc-200 text-sm">
            <thead className="bg-zinc-50 text-left text-xs font-medium text-zinc-500">
              <tr>
                <th scope="col" className="px-4 py-2.5">Name</th>
                <th scope="col" className="px-4 py-2.5">Mode</th>
                <th scope="col" className="px-4 py-2.5">Key</th>
                <th scope="col" className="px-4 py-2.5">Access</th>
                <th scope="col" className="px-4 py-2.5">Created</th>
                <th scope="col" className="px-4 py-2.5">Last used</th>
                <th scope="col" className="px-4 py-2.5">Status</th>
                <th scope="col" className="px-4 py-2.5"><span className="sr-only">Actions</span></th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100">
              {keys.map((k) => {
                const revoked = k.revokedAt !== null;
                const label = k.name ? `“${k.name}”` : `key ${k.prefix}…`;
                return (
                  <tr key={k.id} data-key-id={k.id} className={revoked ? "text-zinc-500" : "text-zinc-700"}>
                    <td className="px-4 py-3 font-medium whitespace-nowrap">
                      <span className={revoked ? "" : "text-zinc-900"}>{k.name || <span className="font-normal text-zinc-500 italic">Untitled</span>}</span>
                    </td>
                    <td className="px-4 py-3"><ModeBadge livemode={k.livemode} /></td>
                    <td className="px-4 py-3 font-mono text-xs whitespace-nowrap">{k.prefix}…</td>
                    <td className="min-w-48 px-4 py-3 text-xs" data-testid="key-access">{describePermissions(parsePermissions(k.permissions) ?? (k.permissions ? NO_ACCESS_TEXT : null))}</td>
                    <td className="px-4 py-3 whitespace-nowrap">
                      <time dateTime={k.createdAt.toISOString()} title={formatDateTime(k.createdAt)}>{formatDate(k.createdAt)}</time>
                    </td>
                    <td className="px-4 py-3 whitespace-nowrap">
                      {k.lastUsedAt
                        ? <time dateTime={k.lastUsedAt.toISOString()} title={formatDateTime(k.lastUsedAt)}>{formatRelative(k.lastUsedAt, now)}</time>
                        : <span className="text-zinc-500">never</span>}
                    </td>
                    <td className="px-4 py-3">
                      {revoked
                        ? <span title={`Revoked ${formatDateTime(k.revokedAt!)}`}><Badge tone="red">Revoked</Badge></span>
                        : <Badge tone="green">Active</Badge>}
                    </td>
                    <td className="px-4 py-3 text-right">{!revoked && <RevokeKey id={k.id} label={label} disabledReason={denied} />}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
