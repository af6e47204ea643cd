"use server";
// Settings → Two-factor sign-in (lib/auth/two-factor): set up with a QR code and one code, or turn
// off with the password and a current code.
import { badForm, INVALID_FORM } from "@/lib/forms/checked-form";
import { headers } from "next/headers";
import { revalidatePath } from "next/cache";
import { clientIp } from "@/lib/api/client-ip";
import { checkCurrentPassword } from "@/lib/auth/change-password";
import { HashingBusyError } from "@/lib/auth/hash-limiter";
import { authorize } from "@/lib/team/guard";
import { SignInThrottledError } from "@/lib/auth/throttle";
import { beginTwoFactorSetup, confirmTwoFactorSetup, disableTwoFactor } from "@/lib/auth/two-factor";

export type TwoFactorState = {
  /** set-up under way: what the authenticator app takes (shown once, to this user only) */
  setup?: { secret: string; uri: string };
  error?: string;
  /** "on" / "off": what the last action did */
  done?: "on" | "off";
};

export async function twoFactorAction(prev: TwoFactorState, data: FormData): Promise<TwoFactorState> {
  if (badForm(data)) return { ...prev, error: INVALID_FORM };
  const a = await authorize("account:self");
  if (!a.ok) return { ...prev, error: a.error };
  const me = a.me;
  const step = String(data.get("step") ?? "");
  const code = String(data.get("code") ?? "").replace(/\s/g, "");
  if (step === "begin") {
    const setup = await beginTwoFactorSetup(me.userId);
    return setup ? { setup } : { error: "Two-factor sign-in is already on." };
  }
  if (step === "confirm") {
    if (!/^\d{6}$/.test(code)) return { ...prev, error: "Enter the 6-digit code your app shows." };
    if (!(await confirmTwoFactorSetup(me.userId, code))) return { ...prev, error: "That code does not match. Check the time on your phone and enter the current code." };
    revalidatePath("/dashboard/settings");
    return { done: "on" };
  }
  if (step === "disable") {
    const password = String(data.get("password") ?? "");
    if (!password || !/^\d{6}$/.test(code)) return { error: "Enter your password and the current 6-digit code." };
    try {
      if (!(await checkCurrentPassword(me, password, clientIp(await headers())))) return { error: "Your password is not correct." };
    } catch (e) {
      if (e instanceof SignInThrottledError) return { error: "Too many attempts. Wait a few seconds and try again." };
      if (e instanceof HashingBusyError) return { error: "Too many requests at once. Please try again in a moment." };
      throw e;
    }
    if (!(await disableTwoFactor(me.userId, code))) return { error: "That code is not right, or was already used." };
    revalidatePath("/dashboard/settings");
    return { done: "off" };
  }
  return { error: INVALID_FORM };
}
