import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { sql } from "drizzle-orm";
import { currentMerchant } from "@/lib/auth/session";
import { config } from "@/lib/config";
import { db } from "@/lib/db/client";
import { invitationUsable } from "@/lib/invitations/invitations";
import { teamInvitationPreview } from "@/lib/team/invitations";
import { ROLE_DESCRIPTION, ROLE_LABEL } from "@/lib/team/roles";
import { SignUpForm, TeamSignUpForm } from "./sign-up-form";

export const metadata: Metadata = { title: "Create your account" };

async function anyMerchant(): Promise<boolean> {
  const r = await db().execute<{ any: boolean }>(sql`select exists (select 1 from merchants) as any`);
  return r.rows[0].any;
}

function Card({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <div className="rounded-2xl bg-white p-6 shadow-sm ring-1 ring-zinc-200 sm:p-8">
      <h1 className="text-xl font-semibold tracking-tight text-zinc-900">{title}</h1>
      {children}
    </div>
  );
}

const linkClass = "rounded font-medium text-indigo-600 hover:text-indigo-500 focus-visible:outline-2 focus-visible:outline-indigo-600";

export default async function SignUpPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  if (await currentMerchant()) redirect("/dashboard");
  const sp = await searchParams;
  // a team invitation (lib/team/invitations): join an existing merchant with a role, whatever TOLLGATE_SIGNUP says
  const rawTeam = sp["team-invite"];
  const teamToken = (Array.isArray(rawTeam) ? rawTeam[0] : rawTeam ?? "").trim().slice(0, 200);
  if (teamToken) {
    const inv = await teamInvitationPreview(teamToken);
    if (!inv) {
      return (
        <Card title="This invitation can't be used">
          <p className="mt-2 text-sm text-zinc-600" data-testid="team-invitation-unusable">
            This invitation link has already been used, was revoked or has expired. Ask the person who invited you for a new one.
          </p>
          <p className="mt-6 text-sm text-zinc-500"><Link href="/sign-in" className={linkClass}>Sign in</Link> to an existing account.</p>
        </Card>
      );
    }
    return (
      <Card title={`Join ${inv.merchantName}`}>
        <p className="mt-1 mb-6 text-sm text-zinc-600" data-testid="team-invitation-role">
          You&apos;ve been invited to this merchant account as <strong className="font-semibold text-zinc-900">{ROLE_LABEL[inv.role].toLowerCase()}</strong>. {ROLE_DESCRIPTION[inv.role]}
        </p>
        <TeamSignUpForm token={teamToken} email={inv.email} />
      </Card>
    );
  }
  const raw = sp.invite;
  const invite = (Array.isArray(raw) ? raw[0] : raw ?? "").trim().slice(0, 200);
  const policy = config().signup;
  const first = !(await anyMerchant());

  // a link that was followed must still be good: used, revoked or expired → say so (no form)
  if (invite && !first && !(await invitationUsable(invite))) {
    return (
      <Card title="This invitation can't be used">
        <p className="mt-2 text-sm text-zinc-600" data-testid="invitation-unusable">
          This invitation link has already been used, was revoked or has expired. Ask the instance&apos;s operator for a new one.
        </p>
        <p className="mt-6 text-sm text-zinc-500">
          {policy === "open" ? <><Link href="/sign-up" className={linkClass}>Create an account without an invitation</Link> or </> : null}
          <Link href="/sign-in" className={linkClass}>{policy === "open" ? "sign in" : "Sign in"}</Link>{policy === "open" ? "." : " to an existing account."}
        </p>
      </Card>
    );
  }
  if (!invite && !first && policy === "invite") {
    return (
      <Card title="Accounts are by invitation only">
        <p className="mt-2 text-sm text-zinc-600" data-testid="invitation-only">
          This Tollgate instance opens merchant accounts by invitation. Ask its operator for an invitation link.
        </p>
        <p className="mt-6 text-sm text-zinc-500">Already have an account? <Link href="/sign-in" className={linkClass}>Sign in</Link></p>
      </Card>
    );
  }
  return (
    <Card title="Create your merchant account">
      <p className="mt-1 mb-6 text-sm text-zinc-500">
        {first ? "The first account of this instance is its operator: it sees the hot wallets and invites other merchants."
          : invite ? "You've been invited to accept stablecoin payments on this Tollgate instance."
            : "Start accepting stablecoin payments on your own server."}
      </p>
      <SignUpForm invite={invite && !first ? invite : ""} />
    </Card>
  );
}
