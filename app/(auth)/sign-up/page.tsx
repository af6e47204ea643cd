import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { currentMerchant } from "@/lib/auth/session";
import { SignUpForm } from "./sign-up-form";

export const metadata: Metadata = { title: "Create your account" };

export default async function SignUpPage() {
  if (await currentMerchant()) redirect("/dashboard");
  return (
    <div className="rounded-2xl bg-white p-6 shadow-sm ring-1 ring-zinc-200 sm:p-8">
      <h1 className="text-xl font-semibold tracking-tight text-zinc-900">Create your merchant account</h1>
      <p className="mt-1 mb-6 text-sm text-zinc-500">Start accepting stablecoin payments on your own server.</p>
      <SignUpForm />
    </div>
  );
}
