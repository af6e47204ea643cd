// The team permission table (lib/team/roles.ts) and that every dashboard server action asks it.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { assignableRoles, can, canManageMember, isTeamRole, PERMISSIONS, permissionsOf, refusal, TEAM_ROLES, type Permission, type TeamRole } from "@/lib/team/roles";

const MONEY: Permission[] = ["withdrawals:write", "checkouts:act", "settings:write"];

describe("the permission table", () => {
  it("owner and admin may do everything the dashboard offers", () => {
    for (const role of ["owner", "admin"] as const) {
      for (const p of Object.keys(PERMISSIONS) as Permission[]) expect(can(role, p), `${role} ${p}`).toBe(true);
    }
  });

  it("a developer manages API keys and webhooks and nothing that moves money, settings or the team", () => {
    expect(can("developer", "api-keys:write")).toBe(true);
    expect(can("developer", "webhooks:write")).toBe(true);
    expect(can("developer", "account:self")).toBe(true);
    for (const p of [...MONEY, "payment-links:write", "team:write", "invitations:write"] as Permission[]) expect(can("developer", p), p).toBe(false);
  });

  it("a viewer may only change its own sign-in", () => {
    const allowed = (Object.keys(PERMISSIONS) as Permission[]).filter((p) => can("viewer", p));
    expect(allowed).toEqual(["account:self"]);
  });

  it("money moves are owner and admin only", () => {
    for (const p of MONEY) expect(TEAM_ROLES.filter((r) => can(r, p))).toEqual(["owner", "admin"]);
  });

  it("a refusal names the role and what it can't do; none when allowed", () => {
    expect(refusal("viewer", "withdrawals:write")).toBe("Your role (Viewer) can't make withdrawals. Ask an owner or admin of this account.");
    expect(refusal("developer", "api-keys:write")).toBeNull();
    expect(permissionsOf("developer")["webhooks:write"]).toBe(true);
    expect(permissionsOf("viewer")["api-keys:write"]).toBe(false);
  });

  it("owners give any role and manage anyone; admins manage developers and viewers and never make owners", () => {
    expect(assignableRoles("owner")).toEqual(["owner", "admin", "developer", "viewer"]);
    expect(assignableRoles("admin")).toEqual(["admin", "developer", "viewer"]);
    expect(assignableRoles("developer")).toEqual([]);
    expect(assignableRoles("viewer")).toEqual([]);
    const grid = (actor: TeamRole) => TEAM_ROLES.filter((t) => canManageMember(actor, t));
    expect(grid("owner")).toEqual(["owner", "admin", "developer", "viewer"]);
    expect(grid("admin")).toEqual(["developer", "viewer"]);
    expect(grid("developer")).toEqual([]);
    expect(grid("viewer")).toEqual([]);
  });

  it("knows its roles", () => {
    expect(TEAM_ROLES.every(isTeamRole)).toBe(true);
    expect(isTeamRole("root")).toBe(false);
    expect(isTeamRole(undefined)).toBe(false);
  });
});

// Every exported server action of the dashboard asks the table before it does anything (the only
// exception: signing out). A new action without a check fails here.
describe("dashboard server actions", () => {
  const root = path.resolve(import.meta.dirname, "../../app/dashboard");
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = path.join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.tsx?$/.test(name) && /^["']use server["']/m.test(readFileSync(p, "utf8"))) files.push(p);
    }
  };
  walk(root);

  it("are found", () => {
    expect(files.length).toBeGreaterThanOrEqual(10);
  });

  it("each starts with authorize(permission)", () => {
    const unguarded: string[] = [];
    for (const file of files) {
      const src = readFileSync(file, "utf8");
      if (!/^["']use server["'];/m.test(src.split("\n").find((l) => l.trim()) ?? "")) continue; // inline actions in a page call guarded ones
      const parts = src.split(/\nexport async function /).slice(1);
      for (const part of parts) {
        const name = part.slice(0, part.indexOf("("));
        if (name === "signOutAction") continue;
        const body = part.slice(0, part.search(/\n}\n|\n}$/) + 2);
        // webhooks' actions call scope(), which authorizes
        if (!/await authorize\("[a-z-]+:[a-z]+"\)/.test(body) && !/await scope\(data\)/.test(body)) unguarded.push(`${path.relative(root, file)} ${name}`);
      }
      if (/await scope\(data\)/.test(src)) expect(src, file).toMatch(/async function scope[\s\S]*?await authorize\("webhooks:write"\)/);
    }
    expect(unguarded).toEqual([]);
  });

  it("never compare role strings themselves", () => {
    for (const file of files) expect(readFileSync(file, "utf8"), file).not.toMatch(/role\s*[!=]==\s*["'](owner|admin|developer|viewer)["']/);
  });
});
