// A small dictionary-based i18n for the payer-facing pages: pick a locale from ?locale= or
// Accept-Language, translate keys with {placeholders}, format amounts without floats.
// Pure functions, safe on the server and in the browser.
import { formatDecimal } from "@/lib/money/format";
import { de } from "./messages/de";
import { en, type MessageKey, type Messages } from "./messages/en";
import { es } from "./messages/es";

export type { MessageKey, Messages };

export const LOCALES = ["en", "es", "de"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "en";

/** Each language named in itself, for the switcher. */
export const LOCALE_NAMES: Record<Locale, string> = { en: "English", es: "Español", de: "Deutsch" };

const DICTIONARIES: Record<Locale, Messages> = { en, es, de };

/** "de-AT" → "de"; undefined for a language we don't have. */
export function matchLocale(tag: string | null | undefined): Locale | undefined {
  if (!tag) return undefined;
  const base = tag.trim().toLowerCase().split(/[-_]/)[0];
  return (LOCALES as readonly string[]).includes(base) ? (base as Locale) : undefined;
}

/** Accept-Language ("de-CH,de;q=0.9,en;q=0.8") → the best locale we have, by q-value then order. */
export function localeFromAcceptLanguage(header: string | null | undefined): Locale | undefined {
  if (!header) return undefined;
  const ranked = header.split(",").map((part, i) => {
    const [tag, ...params] = part.trim().split(";");
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean);
    return { tag, q: q === undefined ? 1 : Number(q), i };
  }).filter((r) => r.tag && r.q > 0 && !Number.isNaN(r.q))
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const r of ranked) {
    const m = matchLocale(r.tag);
    if (m) return m;
  }
  return undefined;
}

/** ?locale= wins, then Accept-Language, then English. */
export function resolveLocale(query: string | string[] | undefined, acceptLanguage: string | null | undefined): Locale {
  const q = Array.isArray(query) ? query[0] : query;
  return matchLocale(q) ?? localeFromAcceptLanguage(acceptLanguage) ?? DEFAULT_LOCALE;
}

export function messages(locale: Locale): Messages {
  return DICTIONARIES[locale];
}

export type Vars = Record<string, string | number>;
export type Translate = (key: MessageKey, vars?: Vars) => string;

export function translator(locale: Locale): Translate {
  const dict = DICTIONARIES[locale];
  return (key, vars) => {
    const text = dict[key] ?? en[key];
    return vars ? text.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m)) : text;
  };
}

/**
 * A decimal amount string ("1234.5") for display in a locale ("1,234.50" / "1.234,50"), with at
 * least `minFraction` fractional digits and every digit kept (what a payer must send is exact):
 * lib/money/format, the one amount formatter.
 */
export function formatAmount(value: string, locale: Locale, minFraction = 2): string {
  return formatDecimal(value, { locale, minDecimals: minFraction });
}

/** Seconds left → "59:07" or "1:02:03" (no locale differences worth handling). */
export function formatCountdown(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(h ? 2 : 1, "0");
  const ss = String(s % 60).padStart(2, "0");
  return h ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}
