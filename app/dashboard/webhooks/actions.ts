"use server";
// Dashboard actions on webhook endpoints and deliveries: each starts with authorize("webhooks:write") and
// calls the same lib/webhooks functions as the API, scoped to the signed-in merchant and a mode.
import { badForm, INVALID_FORM } from "@/lib/forms/checked-form";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { ApiError } from "@/lib/api/errors";
import { authorize } from "@/lib/team/guard";
import { createEndpoint, deleteEndpoint, getEndpoint, rotateSecret, updateEndpoint } from "@/lib/webhooks/endpoints";
import type { RevokeState } from "@/components/ui/revoke-dialog";
import { redeliver, sendTestEvent } from "@/lib/webhooks/events";
import { EVENT_TYPES } from "@/lib/webhooks/event-types";

export type ActionState = { error?: string; ok?: string; secret?: string };

const PATH = "/dashboard/webhooks";

/** The signed-in merchant and the form's mode, or the role's refusal (every action here changes something). */
async function scope(data: FormData): Promise<{ merchantId: string; livemode: boolean } | { error: string }> {
  const a = await authorize("webhooks:write");
  if (!a.ok) return { error: a.error };
  return { merchantId: a.me.merchantId, livemode: data.get("mode") === "live" };
}

function eventsFrom(data: FormData): string[] {
  const picked = data.getAll("events").map(String).filter((e) => (EVENT_TYPES as readonly string[]).includes(e));
  return picked.length === 0 || data.get("allEvents") === "on" ? ["*"] : picked;
}

async function guarded(fn: () => Promise<ActionState>): Promise<ActionState> {
  try {
    const out = await fn();
    revalidatePath(PATH);
    return out;
  } catch (e) {
    if (e instanceof ApiError) return { error: e.message };
    throw e;
  }
}

const url = z.url({ protocol: /^https?$/, error: "Enter an http(s) URL." }).max(2048);

export async function createEndpointAction(_p: ActionState, data: FormData): Promise<ActionState> {
  if (badForm(data)) return { error: INVALID_FORM };
  const s = await scope(data);
  if ("error" in s) return { error: s.error };
  const u = url.safeParse(String(data.get("url") ?? "").trim());
  if (!u.success) return { error: u.error.issues[0]?.message ?? "Enter an http(s) URL." };
  return guarded(async () => {
    const row = await createEndpoint(s, { url: u.data, events: eventsFrom(data), description: String(data.get("description") ?? "").trim() || null });
    return { ok: row.id, secret: row.secret };
  });
}

export async function updateEventsAction(_p: ActionState, data: FormData): Promise<ActionState> {
  if (badForm(data)) return { error: INVALID_FORM };
  const s = await scope(data);
  if ("error" in s) return { error: s.error };
  return guarded(async () => { await updateEndpoint(s, String(data.get("id")), { events: eventsFrom(data) }); return { ok: "Events saved." }; });
}

export async function setEnabledAction(_p: ActionState, data: FormData): Promise<ActionState> {
  if (badForm(data)) return { error: INVALID_FORM };
  const s = await scope(data);
  if ("error" in s) return { error: s.error };
  const enabled = data.get("enabled") === "true";
  return guarded(async () => { await updateEndpoint(s, String(data.get("id")), { enabled }); return { ok: enabled ? "Enabled." : "Disabled." }; });
}

export async function revealSecretAction(_p: ActionState, data: FormData): Promise<ActionState> {
  if (badForm(data)) return { error: INVALID_FORM };
  const s = await scope(data);
  if ("error" in s) return { error: s.error };
  return guarded(async () => ({ secret: (await getEndpoint(s, String(data.get("id")))).secret }));
}

export async function rotateSecretAction(_p: ActionState, data: FormData): Promise<ActionState> {
  if (badForm(data)) return { error: INVALID_FORM };
  const s = await scope(data);
  if ("error" in s) return { error: s.error };
  return guarded(async () => ({ secret: (await rotateSecret(s, String(data.get("id")))).secret, ok: "Rotated: the previous secret keeps signing for 24 hours." }));
}

export async function sendTestAction(_p: ActionState, data: FormData): Promise<ActionState> {
  if (badForm(data)) return { error: INVALID_FORM };
  const s = await scope(data);
  if ("error" in s) return { error: s.error };
  return guarded(async () => { await sendTestEvent(s, String(data.get("id"))); return { ok: "Test event sent." }; });
}

export async function redeliverAction(_p: ActionState, data: FormData): Promise<ActionState> {
  if (badForm(data)) return { error: INVALID_FORM };
  const s = await scope(data);
  if ("error" in s) return { error: s.error };
  const endpointId = String(data.get("endpointId") ?? "") || undefined;
  return guarded(async () => { await redeliver(s, String(data.get("eventId")), endpointId); return { ok: "Redelivery queued." }; });
}

/** Deletes the endpoint (another merchant's or an unknown id: "not found"); its pending deliveries go with it. */
export async function deleteEndpointAction(_p: RevokeState, data: FormData): Promise<RevokeState> {
  if (badForm(data)) return { error: INVALID_FORM };
  const s = await scope(data);
  if ("error" in s) return { error: s.error };
  const out = await guarded(async () => { await deleteEndpoint(s, String(data.get("id"))); return { ok: "Deleted." }; });
  return out.error ? { error: out.error } : { revoked: true };
}
