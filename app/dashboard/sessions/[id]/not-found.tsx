import Link from "next/link";
import { icons } from "@/components/dashboard/nav-icons";
import { buttonClass } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";

export default function SessionNotFound() {
  return (
    <EmptyState
      icon={icons.sessions}
      title="Session not found"
      description="There is no session with this id in your account. Check the link, or find the session in the list."
      action={<Link href="/dashboard/sessions" className={buttonClass("secondary")}>All sessions</Link>}
    />
  );
}
