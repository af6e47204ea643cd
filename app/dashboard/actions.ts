"use server";
import { redirect } from "next/navigation";
import { signOut } from "@/auth";

// POST only (a server action): a sign-out link that GETs could be triggered cross-site.
export async function signOutAction(): Promise<void> {
  await signOut({ redirect: false });
  redirect("/sign-in");
}
