import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { currentMerchant } from "@/lib/auth/session";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

// Auth.js's own endpoints send failures here as ?error=<type>.
function authJsError(error: string | string[] | undefined, code: string | string[] | undefined): string | undefined {
  if (!error) return undefined;
  if (error !== "CredentialsSignin") return "Sign-in failed. Please try again.";
  if (code === "throttled") return "Too many sign-in attempts. Wait a few seconds and try again.";
  if (code === "busy") return "Too many sign-ins at once. Please try again in a moment.";
  return "Incorrect email or password.";
}

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ error?: string | string[]; code?: string | string[] }> }) {
  if (await currentMerchant()) redirect("/dashboard");
  const { error, code } = await searchParams;
  return (
    <div className="rounded-2xl bg-white p-6 shadow-sm ring-1 ring-zinc-200 sm:p-8">
      <h1 className="text-xl font-semibold tracking-tight text-zinc-900">Sign in to your dashboard</h1>
      <p className="mt-1 mb-6 text-sm text-zinc-500">Welcome back. Enter your details to continue.</p>
      <SignInForm initialError={authJsError(error, code)} />
    </div>
  );
}
