"use client";
// The active locale for client components. The server picks the first locale (page props); the
// switcher changes it in place and mirrors it into ?locale= so a reload keeps it.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { formatAmount, translator, type Locale, type Translate } from "./index";

type I18n = { locale: Locale; t: Translate; amount: (value: string) => string; setLocale: (l: Locale) => void };

const Ctx = createContext<I18n | null>(null);

export function I18nProvider({ initialLocale, children }: { initialLocale: Locale; children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(initialLocale);
  const setLocale = useCallback((l: Locale) => {
    setLocaleState(l);
    const url = new URL(window.location.href);
    url.searchParams.set("locale", l);
    window.history.replaceState(null, "", url);
  }, []);
  // The root layout renders <html lang="en">; screen readers follow the page's real language.
  useEffect(() => { document.documentElement.lang = locale; }, [locale]);
  const value = useMemo<I18n>(() => ({
    locale,
    t: translator(locale),
    amount: (v) => formatAmount(v, locale),
    setLocale,
  }), [locale, setLocale]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useI18n(): I18n {
  const v = useContext(Ctx);
  if (!v) throw new Error("useI18n outside I18nProvider");
  return v;
}
