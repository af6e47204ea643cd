"use server";
import { badForm, INVALID_FORM } from "@/lib/forms/checked-form";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { createApiKey, revokeApiKey } from "@/lib/api-keys/keys";
import { parsePermissions, RESOURCES, type Permissions } from "@/lib/api-keys/permissions";
import { authorize } from "@/lib/team/guard";

export type CreatedKey = { id: string; key: string; name: string; livemode: boolean };
export type CreateKeyState = { error?: string; created?: CreatedKey };

const createSchema = z.object({
  name: z.string().trim().max(100, "Keep the name under 100 characters."),
  mode: z.enum(["test", "live"], "Choose test or live."),
});

/**
 * The full key exists only in this action's return value: it is never stored, logged, put in a
 * cookie or a URL, and the page re-rendered with the response only knows its prefix.
 */
export async function createKeyAction(_prev: CreateKeyState, data: FormData): Promise<CreateKeyState> {
  if (badForm(data)) return { error: INVALID_FORM };
  const a = await authorize("api-keys:write");
  if (!a.ok) return { error: a.error };
  const { merchantId } = a.me;
  const parsed = createSchema.safeParse({ name: data.get("name") ?? "", mode: data.get("mode") ?? "" });
  if (!parsed.success) return { error: parsed.error.issues[0]?.message ?? "Invalid input." };
  // restricted: one of none / read / write per resource (lib/api-keys/permissions)
  let permissions: Permissions | null = null;
  if (data.get("access") === "restricted") {
    permissions = parsePermissions(Object.fromEntries(Object.keys(RESOURCES).map((r) => [r, data.get(`perm.${r}`)])));
    if (!permissions) return { error: "Choose none, read or write for each resource." };
    if (Object.values(permissions).every((a) => a === "none")) return { error: "A restricted key needs access to at least one resource." };
  } else if (data.get("access") !== null && data.get("access") !== "full") {
    return { error: "Choose full or restricted access." };
  }
  const { key, record } = await createApiKey(merchantId, parsed.data.mode === "live", parsed.data.name, permissions);
  revalidatePath("/dashboard/api-keys");
  return { created: { id: record.id, key, name: record.name, livemode: record.livemode } };
}

export type RevokeKeyState = { error?: string; revoked?: boolean };

export async function revokeKeyAction(_prev: RevokeKeyState, data: FormData): Promise<RevokeKeyState> {
  if (badForm(data)) return { error: INVALID_FORM };
  const a = await authorize("api-keys:write");
  if (!a.ok) return { error: a.error };
  const { merchantId } = a.me;
  const id = z.uuid().safeParse(data.get("keyId"));
  // revokeApiKey is scoped by merchant: another merchant's key id is simply "not found"
  const revoked = id.success && (await revokeApiKey(merchantId, id.data));
  revalidatePath("/dashboard/api-keys");
  return revoked ? { revoked: true } : { error: "This key doesn't exist or is already revoked." };
}
