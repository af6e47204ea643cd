// Team roles (issue 20): the one permission table every dashboard page and server action asks.
// A user belongs to one merchant with one role (users.role). Pages hide or disable what the role
// may not do and say why; every server action asks again (lib/team/guard.ts), so a call made
// directly is refused with the same message and nothing is written.
//
//   owner      everything, incl. the team: owners can make, demote and remove owners and admins
//   admin      everything else; manages developers and viewers (not owners, not other admins)
//   developer  API keys and webhook endpoints; reads everything; no money moves, no settings, no team
//   viewer     reads everything; no actions
// Money-moving actions (withdrawals, refunds, accept / retry / block, settlement addresses) are owner and admin only.
// Every user may change its own password and two-factor sign-in.

export const TEAM_ROLES = ["owner", "admin", "developer", "viewer"] as const;
export type TeamRole = (typeof TEAM_ROLES)[number];

export function isTeamRole(v: unknown): v is TeamRole {
  return typeof v === "string" && (TEAM_ROLES as readonly string[]).includes(v);
}

export const ROLE_LABEL: Record<TeamRole, string> = { owner: "Owner", admin: "Admin", developer: "Developer", viewer: "Viewer" };

export const ROLE_DESCRIPTION: Record<TeamRole, string> = {
  owner: "Everything, including the team and other owners.",
  admin: "Everything except owners and other admins: payments, withdrawals, settings, developers and viewers.",
  developer: "API keys and webhooks; sees everything, moves no money.",
  viewer: "Sees everything, changes nothing.",
};

/** What can be done in the dashboard, and what each refusal says it is. */
export const PERMISSIONS = {
  /** create and revoke API keys */
  "api-keys:write": "manage API keys",
  /** add, change, delete webhook endpoints; send test events; redeliver; reveal and rotate secrets */
  "webhooks:write": "manage webhook endpoints",
  /** create payment links, turn them off and on */
  "payment-links:write": "manage payment links",
  /** cancel sessions, block payments, accept as paid, retry settlement, refund */
  "checkouts:act": "act on payments",
  /** create and cancel withdrawals */
  "withdrawals:write": "make withdrawals",
  /** business name, branding, expiry, tolerance, settlement addresses and policy, wallet settings */
  "settings:write": "change the merchant's settings",
  /** invite members, revoke invitations, change roles, remove members (which ones: canManageMember) */
  "team:write": "manage the team",
  /** the instance operator's merchant invitations (only on the operator's account) */
  "invitations:write": "invite merchants",
  /** the signed-in user's own password and two-factor sign-in */
  "account:self": "change your own sign-in",
} as const;
export type Permission = keyof typeof PERMISSIONS;

const ALL = Object.keys(PERMISSIONS) as Permission[];

/** The table: role → what it may do. Reading every page is open to every role. */
export const ROLE_PERMISSIONS: Record<TeamRole, ReadonlySet<Permission>> = {
  owner: new Set(ALL),
  admin: new Set(ALL),
  developer: new Set<Permission>(["api-keys:write", "webhooks:write", "account:self"]),
  viewer: new Set<Permission>(["account:self"]),
};

export function can(role: TeamRole, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role]?.has(permission) ?? false;
}

/** The message a refused action shows (and a disabled button's reason): null when allowed. */
export function refusal(role: TeamRole, permission: Permission): string | null {
  if (can(role, permission)) return null;
  return `Your role (${ROLE_LABEL[role] ?? role}) can't ${PERMISSIONS[permission]}. Ask an owner or admin of this account.`;
}

/** Every permission a role has, as a plain object (for client components). */
export function permissionsOf(role: TeamRole): Record<Permission, boolean> {
  return Object.fromEntries(ALL.map((p) => [p, can(role, p)])) as Record<Permission, boolean>;
}

/**
 * Which roles `actor` may give (to an invitation or a member): owners any, admins admin and below
 * (never owner), nobody else any.
 */
export function assignableRoles(actor: TeamRole): TeamRole[] {
  if (actor === "owner") return [...TEAM_ROLES];
  if (actor === "admin") return ["admin", "developer", "viewer"];
  return [];
}

/**
 * Whether `actor` may change or remove a member who has role `target`: owners anyone; admins
 * developers and viewers only (not owners, not other admins). The last owner is guarded apart
 * (lib/team/members.ts), since it depends on the team, not on the two roles.
 */
export function canManageMember(actor: TeamRole, target: TeamRole): boolean {
  if (!can(actor, "team:write")) return false;
  if (actor === "owner") return true;
  return target === "developer" || target === "viewer";
}
