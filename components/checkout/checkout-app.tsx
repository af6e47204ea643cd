"use client";
// The hosted checkout's client root: query cache, locale and the merchant's accent color.
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState, type CSSProperties } from "react";
import type { Locale } from "@/lib/i18n";
import { I18nProvider } from "@/lib/i18n/react";
import { CheckoutView } from "./checkout-view";
import type { CheckoutProps } from "./types";

/** Black or white text, whichever reads better on the accent (WCAG relative luminance). */
export function foregroundFor(hex: string): string {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  const l = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  return (1.05 / (l + 0.05)) >= ((l + 0.05) / 0.05) ? "#ffffff" : "#18181b";
}

export function CheckoutApp(props: CheckoutProps & { initialLocale: Locale }) {
  const [client] = useState(() => new QueryClient({
    defaultOptions: { queries: { refetchOnWindowFocus: true, retry: 1 }, mutations: { retry: false } },
  }));
  const style = { "--accent": props.merchant.accentColor, "--accent-fg": foregroundFor(props.merchant.accentColor) } as CSSProperties;
  return (
    <QueryClientProvider client={client}>
      <I18nProvider initialLocale={props.initialLocale}>
        <div style={style} className="min-h-screen">
          <CheckoutView {...props} />
        </div>
      </I18nProvider>
    </QueryClientProvider>
  );
}
