// What a restricted secret key may do (issue 20: API keys with scopes), like Stripe's restricted
// keys: per resource none, read or write. A key without permissions (null) has full access — every
// key made before scopes existed, and "Full access" keys. Read means the GET endpoints of the
// resource; write adds the rest. Endpoints outside these resources (currencies, system status,
// the checkout's own calls) need only a valid key.
import type { Endpoint } from "@/lib/api/endpoint";

export const RESOURCES = {
  sessions: { tag: "Sessions", label: "Checkout sessions" },
  payments: { tag: "Payments", label: "Payments (seed 004)" },
  deposits: { tag: "Deposit addresses", label: "Deposit addresses and deposits" },
  withdrawals: { tag: "Withdrawals", label: "Withdrawals and balances" },
  webhooks: { tag: "Webhooks", label: "Webhook endpoints" },
  events: { tag: "Events", label: "Events" },
} as const;
export type Resource = keyof typeof RESOURCES;
export const ACCESS = ["none", "read", "write"] as const;
export type Access = (typeof ACCESS)[number];
export type Permissions = Record<Resource, Access>;

const RESOURCE_OF_TAG = new Map<string, Resource>(Object.entries(RESOURCES).map(([r, v]) => [v.tag, r as Resource]));

/** The resource and access an endpoint needs of a restricted key; null: any valid key will do. */
export function needed(e: Pick<Endpoint, "tag" | "method" | "readOnly">): { resource: Resource; access: "read" | "write" } | null {
  const resource = RESOURCE_OF_TAG.get(e.tag);
  if (!resource) return null;
  return { resource, access: e.method === "GET" || e.readOnly ? "read" : "write" };
}

/** Why the key may not call the endpoint, or null when it may. */
export function refusal(permissions: Permissions | null, e: Pick<Endpoint, "tag" | "method" | "path" | "readOnly">): string | null {
  if (!permissions) return null;
  const need = needed(e);
  if (!need) return null;
  const has = permissions[need.resource] ?? "none";
  if (has === "write" || (has === "read" && need.access === "read")) return null;
  return `This restricted key has ${has === "none" ? "no" : "read-only"} access to ${RESOURCES[need.resource].label.toLowerCase()}; `
    + `${e.method} ${e.path} needs ${need.access} access. Create a key with that permission in the dashboard (API keys).`;
}

/** Reads permissions from untrusted input (a form, a stored row); null when it is not a complete set. */
export function parsePermissions(input: unknown): Permissions | null {
  if (!input || typeof input !== "object") return null;
  const out = {} as Permissions;
  for (const r of Object.keys(RESOURCES) as Resource[]) {
    const v = (input as Record<string, unknown>)[r];
    if (typeof v !== "string" || !(ACCESS as readonly string[]).includes(v)) return null;
    out[r] = v as Access;
  }
  return out;
}

/** "sessions: write · payments: read" — what a restricted key may do, for lists. */
export function describePermissions(p: Permissions | null): string {
  if (!p) return "Full access";
  const parts = (Object.keys(RESOURCES) as Resource[]).filter((r) => p[r] !== "none").map((r) => `${RESOURCES[r].label}: ${p[r]}`);
  return parts.length ? `Restricted · ${parts.join(" · ")}` : "Restricted · no access";
}
