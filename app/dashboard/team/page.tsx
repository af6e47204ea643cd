import type { Metadata } from "next";
import { RoleNotice } from "@/components/dashboard/role-notice";
import { Badge } from "@/components/ui/badge";
import { formatDate, formatDateTime } from "@/components/ui/format";
import { PageHeader } from "@/components/ui/page-header";
import { DataTable, tdClass } from "@/components/ui/table";
import { requireMerchant } from "@/lib/auth/session";
import { listTeamInvitations } from "@/lib/team/invitations";
import { listMembers } from "@/lib/team/members";
import { assignableRoles, canManageMember, refusal, ROLE_DESCRIPTION, ROLE_LABEL, TEAM_ROLES } from "@/lib/team/roles";
import { InviteMember, MemberRole, RemoveMember, RevokeTeamInvitation } from "./team-controls";

export const metadata: Metadata = { title: "Team" };

const ROLE_TONE = { owner: "indigo", admin: "green", developer: "amber", viewer: "neutral" } as const;

export default async function TeamPage() {
  const me = await requireMerchant();
  const denied = refusal(me.role, "team:write");
  const [members, invitations] = await Promise.all([listMembers(me.merchantId), listTeamInvitations(me.merchantId)]);
  const roles = assignableRoles(me.role);
  const owners = members.filter((m) => m.role === "owner").length;
  return (
    <>
      <PageHeader
        title="Team"
        description="Everyone who can sign in to this account, and what each role may do. A role change counts on the member's next click; removing a member signs them out."
        actions={<InviteMember roles={roles} disabledReason={denied} />}
      />
      <RoleNotice reason={denied} />
      <section aria-labelledby="members-title" className="space-y-3">
        <h2 id="members-title" className="text-sm font-semibold text-zinc-900">Members <span className="font-normal text-zinc-600">({members.length})</span></h2>
        <DataTable columns={[{ label: "Member" }, { label: "Role" }, { label: "Two-factor", className: "hidden sm:table-cell" }, { label: "Joined", className: "hidden md:table-cell" }, { label: "Actions", className: "text-right" }]}>
          {members.map((m) => {
            const self = m.id === me.userId;
            const lastOwner = m.role === "owner" && owners <= 1;
            const manageable = !denied && canManageMember(me.role, m.role);
            return (
              <tr key={m.id} data-member-email={m.email} data-role={m.role} className="text-zinc-700">
                <td className={`${tdClass} max-w-[11rem] sm:max-w-xs`}>
                  <p className="truncate font-medium text-zinc-900" title={m.email}>{m.email}{self && <span className="ml-1 font-normal text-zinc-600">(you)</span>}</p>
                  {m.name && <p className="truncate text-xs text-zinc-600">{m.name}</p>}
                  <p className="text-xs text-zinc-600 sm:hidden">Two-factor {m.twoFactor ? "on" : "off"}</p>
                </td>
                <td className={tdClass}>
                  {manageable && !lastOwner
                    ? <MemberRole userId={m.id} email={m.email} role={m.role} roles={roles.includes(m.role) ? roles : [m.role, ...roles]} />
                    : <span title={ROLE_DESCRIPTION[m.role]}><Badge tone={ROLE_TONE[m.role]}>{ROLE_LABEL[m.role]}</Badge></span>}
                  {lastOwner && manageable && <p className="mt-1 text-xs text-zinc-600">The only owner</p>}
                </td>
                <td className={`${tdClass} hidden sm:table-cell`}>{m.twoFactor ? <Badge tone="green">On</Badge> : <Badge>Off</Badge>}</td>
                <td className={`${tdClass} hidden whitespace-nowrap md:table-cell`}><time dateTime={m.joinedAt.toISOString()} title={formatDateTime(m.joinedAt)}>{formatDate(m.joinedAt)}</time></td>
                <td className={`${tdClass} text-right whitespace-nowrap`}>
                  {manageable && !self && !lastOwner ? <RemoveMember userId={m.id} email={m.email} /> : <span className="sr-only">none</span>}
                </td>
              </tr>
            );
          })}
        </DataTable>
      </section>

      <section aria-labelledby="invitations-title" className="mt-8 space-y-3">
        <h2 id="invitations-title" className="text-sm font-semibold text-zinc-900">Pending invitations</h2>
        {invitations.length === 0 ? (
          <p className="text-sm text-zinc-600">No invitations waiting. Each link is shown once, when you create it, and works for 7 days.</p>
        ) : (
          <DataTable columns={[{ label: "Email" }, { label: "Role" }, { label: "Expires", className: "hidden sm:table-cell" }, { label: "Actions", className: "text-right" }]}>
            {invitations.map((r) => (
              <tr key={r.id} data-team-invitation-id={r.id} data-status={r.status} className="text-zinc-700">
                <td className={`${tdClass} max-w-[9rem] truncate sm:max-w-xs`} title={r.email ?? undefined}>{r.email ?? <span className="text-zinc-600 italic">anyone with the link</span>}</td>
                <td className={tdClass}><Badge tone={ROLE_TONE[r.role]}>{ROLE_LABEL[r.role]}</Badge>{r.status === "expired" && <span className="ml-1"><Badge tone="red">expired</Badge></span>}</td>
                <td className={`${tdClass} hidden whitespace-nowrap sm:table-cell`}><time dateTime={r.expiresAt.toISOString()} title={formatDateTime(r.expiresAt)}>{formatDate(r.expiresAt)}</time></td>
                <td className={`${tdClass} text-right whitespace-nowrap`}>
                  {!denied && canManageMember(me.role, r.role)
                    ? <RevokeTeamInvitation id={r.id} label={r.email ? `the invitation for ${r.email}` : `the ${ROLE_LABEL[r.role].toLowerCase()} invitation of ${formatDateTime(r.createdAt)}`} />
                    : <span className="sr-only">none</span>}
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </section>

      <section aria-labelledby="roles-title" className="mt-8">
        <h2 id="roles-title" className="mb-3 text-sm font-semibold text-zinc-900">Roles</h2>
        <dl className="grid gap-3 rounded-xl bg-white p-4 text-sm shadow-sm ring-1 ring-zinc-200 sm:grid-cols-2">
          {TEAM_ROLES.map((r) => (
            <div key={r}>
              <dt className="font-medium text-zinc-900">{ROLE_LABEL[r]}{r === me.role && <span className="ml-1 font-normal text-zinc-600">(your role)</span>}</dt>
              <dd className="text-zinc-600">{ROLE_DESCRIPTION[r]}</dd>
            </div>
          ))}
        </dl>
      </section>
    </>
  );
}
