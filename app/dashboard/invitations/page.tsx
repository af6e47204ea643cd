import type { Metadata } from "next";
import { icons } from "@/components/dashboard/nav-icons";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { formatDate, formatDateTime } from "@/components/ui/format";
import { PageHeader } from "@/components/ui/page-header";
import { DataTable, tdClass } from "@/components/ui/table";
import { config } from "@/lib/config";
import { requireOperator } from "@/lib/dashboard/operator";
import { RoleNotice } from "@/components/dashboard/role-notice";
import { refusal } from "@/lib/team/roles";
import { listInvitations } from "@/lib/invitations/invitations";
import { CreateInvitation } from "./create-invitation";
import { RevokeInvitation } from "./revoke-invitation";

export const metadata: Metadata = { title: "Invitations" };

const TONE = { pending: "amber", used: "green", expired: "neutral" } as const;

export default async function InvitationsPage() {
  const { role } = await requireOperator();
  const denied = refusal(role, "invitations:write");
  const rows = await listInvitations();
  const policy = config().signup;
  return (
    <>
      <PageHeader
        title="Invitations"
        description={policy === "invite"
          ? "This instance opens merchant accounts by invitation only (TOLLGATE_SIGNUP=invite). Each link opens one account and expires in 7 days."
          : "Sign-up is open on this instance (TOLLGATE_SIGNUP=open): anyone can create an account. Invitation links still work, once each."}
        // one CreateInvitation at a fixed place: its dialog (holding the link) survives the re-render
        actions={denied ? undefined : <CreateInvitation />}
      />
      <RoleNotice reason={denied} />
      {rows.length === 0 ? (
        <EmptyState icon={icons.invitations} title="No invitations yet" description="Invite a merchant to create a sign-up link. The link is shown once, when you create it." />
      ) : (
        <DataTable columns={[{ label: "Email" }, { label: "Status" }, { label: "Created", className: "hidden sm:table-cell" }, { label: "Expires", className: "hidden sm:table-cell" }, { label: "Actions", className: "text-right" }]}>
          {rows.map((r) => {
            const label = r.email ? `the invitation for ${r.email}` : `the invitation of ${formatDateTime(r.createdAt)}`;
            return (
              <tr key={r.id} data-invitation-id={r.id} data-status={r.status} className="text-zinc-700">
                <td className={`${tdClass} max-w-[8rem] truncate sm:max-w-none`} title={r.email ?? undefined}>{r.email ?? <span className="text-zinc-500 italic">no email</span>}</td>
                <td className={tdClass}>
                  <Badge tone={TONE[r.status]}>{r.status}</Badge>
                  {r.usedAt && <p className="mt-1 text-xs text-zinc-500">{formatDate(r.usedAt)}</p>}
                </td>
                <td className={`${tdClass} hidden whitespace-nowrap sm:table-cell`}><time dateTime={r.createdAt.toISOString()} title={formatDateTime(r.createdAt)}>{formatDate(r.createdAt)}</time></td>
                <td className={`${tdClass} hidden whitespace-nowrap sm:table-cell`}><time dateTime={r.expiresAt.toISOString()} title={formatDateTime(r.expiresAt)}>{formatDate(r.expiresAt)}</time></td>
                <td className={`${tdClass} text-right whitespace-nowrap`}>{r.status === "pending" && !denied ? <RevokeInvitation id={r.id} label={label} /> : <span className="sr-only">none</span>}</td>
              </tr>
            );
          })}
        </DataTable>
      )}
    </>
  );
}
