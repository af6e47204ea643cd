"use server";
// Sign-in and sign-up form actions. Both end in a redirect to the dashboard on success.
import { badForm, INVALID_FORM } from "@/lib/forms/checked-form";
import { AuthError, CredentialsSignin } from "next-auth";
import { redirect } from "next/navigation";
import { z } from "zod";
import { signIn } from "@/auth";
import { logger } from "@/lib/log/logger";
import { config } from "@/lib/config";
import { newPasswordSchema } from "@/lib/auth/password-policy";
import { createMerchant, EmailTakenError, InvitationRequiredError } from "@/lib/merchants/create-merchant";
import { acceptTeamInvitation, TeamInvitationEmailError, TeamInvitationUnusableError } from "@/lib/team/invitations";

/** `needCode`: the password was right and the account signs in with an authentication code too */
export type SignInState = { error?: string; needCode?: boolean };

const GENERIC_SIGN_IN_ERROR = "Incorrect email or password.";

/** Signs in through Auth.js; null on success, else what to show. */
async function credentialsSignIn(email: string, password: string, totp: string): Promise<SignInState | null> {
  try {
    // redirect: false so the redirect below stays relative and outside this try.
    await signIn("credentials", { email, password, code: totp, redirect: false });
    return null;
  } catch (e) {
    if (e instanceof AuthError && e.type === "CredentialsSignin") {
      const code = (e as CredentialsSignin).code;
      if (code === "code_required") return { needCode: true };
      if (code === "code_invalid") return { needCode: true, error: "That authentication code is not right, or was already used. Enter the current code from your app." };
      if (code === "throttled") return { error: "Too many sign-in attempts. Wait a few seconds and try again." };
      if (code === "busy") return { error: "Too many sign-ins at once. Please try again in a moment." };
      return { error: GENERIC_SIGN_IN_ERROR };
    }
    if (e instanceof AuthError) {
      logger.error({ err: e }, "sign-in failed");
      return { error: "We couldn't sign you in just now. Please try again." };
    }
    throw e;
  }
}

export async function signInAction(_prev: SignInState, data: FormData): Promise<SignInState> {
  if (badForm(data)) return { error: INVALID_FORM };
  const email = String(data.get("email") ?? "").trim();
  const password = String(data.get("password") ?? "");
  if (!email || !password) return { error: "Enter your email and password." };
  const totp = String(data.get("code") ?? "").replace(/\s/g, "").slice(0, 20);
  const failed = await credentialsSignIn(email, password, totp);
  if (failed) return failed;
  redirect("/dashboard");
}

/** The sign-up form's fields; `name` is the business's (a new merchant) or the person's (a team member). */
const signUpFields = (name: z.ZodString) => z.object({
  name,
  email: z.string().trim().max(320, "That email address is too long.").pipe(z.email("Enter a valid email address.")),
  password: newPasswordSchema,
  confirm: z.string(),
}).refine((d) => d.password === d.confirm, { path: ["confirm"], message: "The passwords don't match." });
const signUpSchema = signUpFields(z.string().trim().min(1, "Enter your business name.").max(100, "Keep the business name under 100 characters."));
const teamSignUpSchema = signUpFields(z.string().trim().max(100, "Keep your name under 100 characters."));

type SignUpField = "name" | "email" | "password" | "confirm";
export type SignUpState = { errors?: Partial<Record<SignUpField, string>>; formError?: string };

/** The form's fields checked by `schema`: the values, or each field's first problem for the form. */
function parseSignUp(schema: typeof signUpSchema, data: FormData): { ok: true; value: z.infer<typeof signUpSchema> } | { ok: false; state: SignUpState } {
  const parsed = schema.safeParse({
    name: data.get("name") ?? "", email: data.get("email") ?? "", password: data.get("password") ?? "", confirm: data.get("confirm") ?? "",
  });
  if (parsed.success) return { ok: true, value: parsed.data };
  const fields = z.flattenError(parsed.error).fieldErrors;
  const errors: SignUpState["errors"] = {};
  for (const k of ["name", "email", "password", "confirm"] as const) if (fields[k]?.[0]) errors[k] = fields[k][0];
  return { ok: false, state: { errors } };
}

export async function signUpAction(_prev: SignUpState, data: FormData): Promise<SignUpState> {
  if (badForm(data)) return { formError: INVALID_FORM };
  const parsed = parseSignUp(signUpSchema, data);
  if (!parsed.ok) return parsed.state;
  const { name, email, password } = parsed.value;
  // the sign-up page's hidden field: the token of the invitation link (TOLLGATE_SIGNUP=invite)
  const invitation = String(data.get("invite") ?? "").trim().slice(0, 200) || null;
  try {
    await createMerchant({ name, email, password, invitation, policy: config().signup });
  } catch (e) {
    if (e instanceof EmailTakenError) return { errors: { email: "An account with this email already exists. Sign in instead." } };
    if (e instanceof InvitationRequiredError) {
      return { formError: invitation
        ? "This invitation link has already been used, was revoked or has expired. Ask the instance's operator for a new one."
        : e.message };
    }
    logger.error({ err: e }, "sign-up failed");
    return { formError: "We couldn't create your account just now. Please try again." };
  }
  // a new account has no second factor yet
  const failed = await credentialsSignIn(email, password, "");
  if (failed) return { formError: failed.error ?? GENERIC_SIGN_IN_ERROR };
  redirect("/dashboard");
}

/**
 * Joining a merchant's team through its invitation link (`/sign-up?team-invite=…`, lib/team/invitations):
 * a user of that merchant with the invitation's role. The invitation is the permission, so this
 * works whatever TOLLGATE_SIGNUP says.
 */
export async function teamSignUpAction(_prev: SignUpState, data: FormData): Promise<SignUpState> {
  if (badForm(data)) return { formError: INVALID_FORM };
  const parsed = parseSignUp(teamSignUpSchema, data);
  if (!parsed.ok) return parsed.state;
  const token = String(data.get("teamInvite") ?? "").trim().slice(0, 200);
  if (!token) return { formError: new TeamInvitationUnusableError().message };
  const { name, email, password } = parsed.value;
  try {
    await acceptTeamInvitation({ token, email, name: name || null, password });
  } catch (e) {
    if (e instanceof EmailTakenError) return { errors: { email: "An account with this email already exists. Sign in instead, or ask for an invitation to another address." } };
    if (e instanceof TeamInvitationEmailError) return { errors: { email: e.message } };
    if (e instanceof TeamInvitationUnusableError) return { formError: e.message };
    logger.error({ err: e }, "team sign-up failed");
    return { formError: "We couldn't create your account just now. Please try again." };
  }
  const failed = await credentialsSignIn(email, password, "");
  if (failed) return { formError: failed.error ?? GENERIC_SIGN_IN_ERROR };
  redirect("/dashboard");
}
