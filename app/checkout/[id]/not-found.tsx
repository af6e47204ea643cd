// An unknown or malformed session id: a 404 in the payer's language.
import { headers } from "next/headers";
import { resolveLocale, translator } from "@/lib/i18n";

export default async function CheckoutNotFound() {
  const locale = resolveLocale(undefined, (await headers()).get("accept-language"));
  const t = translator(locale);
  return (
    <main lang={locale} className="flex min-h-screen items-center justify-center px-4 py-12">
      <div className="w-full max-w-md rounded-2xl bg-white p-8 text-center shadow-sm ring-1 ring-zinc-200">
        <div className="mx-auto mb-4 flex size-12 items-center justify-center rounded-full bg-zinc-100 text-zinc-500" aria-hidden="true">
          <svg className="size-6" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.75" strokeLinecap="round" strokeLinejoin="round">
            <circle cx="11" cy="11" r="7" /><path d="m20 20-3.5-3.5M8.5 8.5l5 5M13.5 8.5l-5 5" />
          </svg>
        </div>
        <h1 className="text-lg font-semibold text-zinc-900">{t("notFound.title")}</h1>
        <p className="mt-2 text-sm text-zinc-600">{t("notFound.body")}</p>
      </div>
    </main>
  );
}
