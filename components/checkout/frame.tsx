"use client";
// What every hosted payer page shares: the client root (query cache, locale, the merchant's
// accent color) and the test-mode banner.
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState, type CSSProperties, type ReactNode } from "react";
import type { Locale } from "@/lib/i18n";
import { I18nProvider, useI18n } from "@/lib/i18n/react";

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
