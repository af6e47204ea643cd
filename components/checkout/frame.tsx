"use client";
// What every hosted payer page shares: the client root (query cache, locale, the merchant's
// accent color), the test-mode banner and the footer.
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState, type CSSProperties, type ReactNode } from "react";
import type { Locale } from "@/lib/i18n";
import { I18nProvider, useI18n } from "@/lib/i18n/react";
import { Logo } from "@/components/ui/logo";
import { LanguageSwitcher } from "./language-switcher";
import { MerchantHeader } from "./merchant-header";
import type { MerchantBranding } from "./types";

/** Black or white text, whichever reads better on the accent (WCAG relative luminance). */
export function foregroundFor(hex: string): string {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  const l = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  return (1.05 / (l + 0.05)) >= ((l + 0.05) / 0.05) ? "#ffffff" : "#18181b";
}

export function PayerShell({ accentColor, initialLocale, children }: { accentColor: string; initialLocale: Locale; children: ReactNode }) {
  const [client] = useState(() => new QueryClient({
    defaultOptions: { queries: { refetchOnWindowFocus: true, retry: 1 }, mutations: { retry: false } },
  }));
  const style = { "--accent": accentColor, "--accent-fg": foregroundFor(accentColor) } as CSSProperties;
  return (
    <QueryClientProvider client={client}>
      <I18nProvider initialLocale={initialLocale}>
        <div style={style} className="min-h-screen">{children}</div>
      </I18nProvider>
    </QueryClientProvider>
  );
}

export function TestModeBanner() {
  const { t } = useI18n();
  return (
    <div className="border-b border-amber-200 bg-amber-50 px-4 py-2 text-center text-xs font-medium text-amber-900" data-testid="test-mode-banner">
      {t("mode.test")}
    </div>
  );
}

/** The page's footer: what comes first (the way back to the merchant, on the checkout), then "Powered by Tollgate". */
export function PayerFooter({ children }: { children?: ReactNode }) {
  const { t } = useI18n();
  const poweredBy = t("checkout.poweredBy").split("{product}");
  return (
    <footer className="mt-6 flex flex-col items-center gap-3 text-xs text-zinc-500">
      {children}
      {/* zinc-500 on the page's zinc-50: 4.6:1 (zinc-400 failed axe's contrast check) */}
      <p className="flex items-center gap-1.5 text-zinc-500">
        {poweredBy[0]}<Logo className="text-xs text-zinc-500 [&>span]:size-5 [&>span]:rounded-md" />{poweredBy[1]}
      </p>
    </footer>
  );
}

/**
 * A payer page's one landmark (the test-mode banner included: axe wants all content in landmarks)
 * and its card with the merchant and the language switcher; `children` fill the card, `after` goes
 * below it (the footer).
 */
export function PayerPage({ livemode, merchant, after, children }: { livemode: boolean; merchant: MerchantBranding; after?: ReactNode; children: ReactNode }) {
  return (
    <main>
      {!livemode && <TestModeBanner />}
      <div className="mx-auto w-full max-w-md px-3 py-4 sm:px-4 sm:py-12">
        <div className="overflow-hidden rounded-2xl bg-white shadow-sm ring-1 ring-zinc-200">
          <header className="flex items-center justify-between gap-3 border-b border-zinc-100 px-5 py-4 sm:px-6">
            <MerchantHeader merchant={merchant} />
            <LanguageSwitcher />
          </header>
          {children}
        </div>
        {after}
      </div>
    </main>
  );
}
