"use client";
// Re-renders the server page every few seconds while `active` (a payment still confirming: its
// confirmations grow without anything else on the page changing).
import { useRouter } from "next/navigation";
import { useEffect } from "react";

export function RefreshWhile({ active, ms = 4000 }: { active: boolean; ms?: number }) {
  const router = useRouter();
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => router.refresh(), ms);
    return () => clearInterval(timer);
  }, [active, ms, router]);
  return null;
}
