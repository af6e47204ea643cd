"use server";
// Settings → Password: change the signed-in user's password (lib/auth/change-password.ts).
import { badForm, INVALID_FORM } from "@/lib/forms/checked-form";
import { headers } from "next/headers";
import { clientIp } from "@/lib/api/client-ip";
import { changePassword } from "@/lib/auth/change-password";
import { HashingBusyError } from "@/lib/auth/hash-limiter";
import { authorize } from "@/lib/team/guard";
import { SignInThrottledError } from "@/lib/auth/throttle";

export type PasswordState = {
  errors?: { current?: string; next?: string; confirm?: string; form?: string };
  changedAt?: number;
  /** the user's new session epoch: the form hands it to this browser's session (every other one is signed out) */
  sessionEpoch?: string;
};

export async function changePasswordAction(_p: PasswordState, data: FormData): Promise<PasswordState> {
  if (badForm(data)) return { errors: { form: INVALID_FORM } };
  const a = await authorize("account:self");
  if (!a.ok) return { errors: { form: a.error } };
  const me = a.me;
  const current = String(data.get("currentPassword") ?? "");
  const next = String(data.get("newPassword") ?? "");
  if (!current) return { errors: { current: "Enter your current password." } };
  if (next !== String(data.get("confirmPassword") ?? "")) return { errors: { confirm: "The new passwords don't match." } };
  try {
    const r = await changePassword(me, current, next, clientIp(await headers()));
    if (!r.ok) return { errors: { [r.field]: r.message } };
    // The user's other sessions are signed out now. This one is kept by the form, which hands the
    // new epoch to Auth.js's session update from the browser: setting the cookie here would re-render
    // this page with the request's old cookie, which no longer counts.
    return { changedAt: Date.now(), sessionEpoch: r.sessionEpoch };
  } catch (e) {
    if (e instanceof SignInThrottledError) return { errors: { form: "Too many attempts. Wait a few seconds and try again." } };
    if (e instanceof HashingBusyError) return { errors: { form: "Too many requests at once. Please try again in a moment." } };
    throw e;
  }
}
