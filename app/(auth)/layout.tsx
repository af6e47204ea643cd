import Link from "next/link";
import { Logo } from "@/components/ui/logo";

export default function AuthLayout({ children }: { children: React.ReactNode }) {
  return (
    <div className="flex min-h-screen flex-col bg-gradient-to-b from-indigo-50/60 via-zinc-50 to-zinc-50">
      <header className="px-6 pt-8 sm:pt-12">
        <Link href="/" className="mx-auto flex w-fit rounded-lg focus-visible:outline-2 focus-visible:outline-offset-4 focus-visible:outline-indigo-600">
          <Logo className="text-lg" />
        </Link>
      </header>
      <main className="flex flex-1 items-start justify-center px-4 py-10 sm:py-14">
        <div className="w-full max-w-sm">{children}</div>
      </main>
      <footer className="pb-8 text-center text-xs text-zinc-500">Self-hosted crypto checkout</footer>
    </div>
  );
}
