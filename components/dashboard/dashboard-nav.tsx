"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect, useState } from "react";
import { useFormStatus } from "react-dom";
import { signOutAction } from "@/app/dashboard/actions";
import { Logo } from "@/components/ui/logo";
import { Spinner } from "@/components/ui/spinner";
import { icons } from "./nav-icons";
import { isActive, NAV } from "./nav-items";

/** role: the signed-in user's team role, shown under its email */
type Props = { merchantName: string; email: string; role?: string; mode: "test" | "live"; isOperator?: boolean };

export function ModeIndicator({ mode }: { mode: "test" | "live" }) {
  const live = mode === "live";
  return (
    <span className={`inline-flex items-center gap-1.5 rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${live ? "bg-emerald-50 text-emerald-700 ring-emerald-600/20" : "bg-amber-50 text-amber-800 ring-amber-600/25"}`}>
      <span className={`size-1.5 rounded-full ${live ? "bg-emerald-500" : "bg-amber-500"}`} aria-hidden="true" />
      {live ? "Live mode" : "Test mode"}
    </span>
  );
}

function NavLinks({ onNavigate, isOperator }: { onNavigate?: () => void; isOperator: boolean }) {
  const pathname = usePathname();
  const groups = NAV.map((g) => ({ ...g, items: g.items.filter((item) => isOperator || !item.operatorOnly) })).filter((g) => g.items.length > 0);
  return (
    <nav aria-label="Dashboard" className="space-y-5">
      {groups.map((group, i) => (
        <div key={group.label ?? i}>
          {group.label && <p className="mb-1 px-2.5 text-[11px] font-semibold tracking-wider text-zinc-600 uppercase">{group.label}</p>}
          <ul className="space-y-0.5">
            {group.items.map((item) => {
              const active = isActive(pathname, item.href);
              return (
                <li key={item.href}>
                  <Link
                    href={item.href}
                    onClick={onNavigate}
                    aria-current={active ? "page" : undefined}
                    className={`flex items-center gap-2.5 rounded-lg px-2.5 py-1.5 text-sm font-medium transition-colors focus-visible:outline-2 focus-visible:outline-indigo-600 ${
                      active ? "bg-white text-indigo-700 shadow-sm ring-1 ring-zinc-200" : "text-zinc-600 hover:bg-zinc-200/60 hover:text-zinc-900"
                    }`}
                  >
                    <span className={active ? "text-indigo-600" : "text-zinc-400"}>{icons[item.icon]}</span>
                    {item.label}
                  </Link>
                </li>
              );
            })}
          </ul>
        </div>
      ))}
    </nav>
  );
}

function SignOutButton() {
  const { pending } = useFormStatus();
  return (
    <button type="submit" disabled={pending}
      className="flex w-full items-center gap-2.5 rounded-lg px-2.5 py-1.5 text-sm font-medium text-zinc-600 hover:bg-zinc-200/60 hover:text-zinc-900 focus-visible:outline-2 focus-visible:outline-indigo-600 disabled:opacity-60">
      <span className="text-zinc-400">{pending ? <Spinner /> : icons.signOut}</span>
      {pending ? "Signing out…" : "Sign out"}
    </button>
  );
}

function AccountBlock({ merchantName, email, role }: { merchantName: string; email: string; role?: string }) {
  return (
    <div className="space-y-1 border-t border-zinc-200 pt-4">
      <div className="px-2.5 pb-2">
        <p className="truncate text-sm font-semibold text-zinc-900" title={merchantName}>{merchantName}</p>
        <p className="truncate text-xs text-zinc-600" title={email}>{email}</p>
        {role && <p className="text-xs text-zinc-600" data-testid="nav-role">{role}</p>}
      </div>
      <a href="/docs/api" className="flex items-center gap-2.5 rounded-lg px-2.5 py-1.5 text-sm font-medium text-zinc-600 hover:bg-zinc-200/60 hover:text-zinc-900 focus-visible:outline-2 focus-visible:outline-indigo-600">
        <span className="text-zinc-400">{icons.docs}</span>API docs
      </a>
      <form action={signOutAction}>
        <SignOutButton />
      </form>
    </div>
  );
}

export function DashboardNav({ merchantName, email, role, mode, isOperator = false }: Props) {
  const [open, setOpen] = useState(false);
  const pathname = usePathname();
  useEffect(() => setOpen(false), [pathname]);

  return (
    <>
      {/* Desktop: fixed sidebar */}
      <aside className="hidden w-64 shrink-0 flex-col border-r border-zinc-200 bg-zinc-100/70 px-3 py-5 lg:fixed lg:inset-y-0 lg:flex">
        <div className="flex items-center justify-between px-2.5 pb-5">
          <Link href="/dashboard" className="rounded-lg focus-visible:outline-2 focus-visible:outline-indigo-600"><Logo /></Link>
        </div>
        <div className="px-2.5 pb-5"><ModeIndicator mode={mode} /></div>
        <div className="flex-1 overflow-y-auto">
          <NavLinks isOperator={isOperator} />
        </div>
        <AccountBlock merchantName={merchantName} email={email} role={role} />
      </aside>

      {/* Mobile: top bar with a collapsible menu */}
      <div className="sticky top-0 z-40 border-b border-zinc-200 bg-white/90 backdrop-blur lg:hidden">
        <div className="flex h-14 items-center justify-between gap-3 px-4">
          <Link href="/dashboard" className="rounded-lg focus-visible:outline-2 focus-visible:outline-indigo-600"><Logo /></Link>
          <div className="flex items-center gap-2">
            <ModeIndicator mode={mode} />
            <button
              type="button"
              onClick={() => setOpen((o) => !o)}
              aria-expanded={open}
              aria-controls="mobile-nav"
              className="rounded-lg p-2 text-zinc-600 hover:bg-zinc-100 focus-visible:outline-2 focus-visible:outline-indigo-600"
            >
              <span className="sr-only">{open ? "Close menu" : "Open menu"}</span>
              <svg className="size-5" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" aria-hidden="true">
                {open ? <path d="M6 6l12 12M18 6 6 18" /> : <path d="M4 7h16M4 12h16M4 17h16" />}
              </svg>
            </button>
          </div>
        </div>
        {open && (
          <div id="mobile-nav" className="max-h-[calc(100vh-3.5rem)] overflow-y-auto border-t border-zinc-200 bg-zinc-50 px-3 py-4">
            <NavLinks onNavigate={() => setOpen(false)} isOperator={isOperator} />
            <div className="mt-5"><AccountBlock merchantName={merchantName} email={email} role={role} /></div>
          </div>
        )}
      </div>
    </>
  );
}
