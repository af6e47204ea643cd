// Validation of the dashboard settings form. Pure functions: no database, no config.
import { z } from "zod";
import { checkAddress, type AddressFamily } from "@/lib/addresses";
import { chainFamily } from "@/lib/chains/registry";
import { MAX_BATCH_MIN_CENTS, MAX_BATCH_WAIT_MINUTES, type BatchPolicy } from "@/lib/settlement/limits";

export const MIN_EXPIRY_MINUTES = 5;
export const MAX_EXPIRY_MINUTES = 1440;
export const MAX_TOLERANCE_BPS = 1000;

/** https anywhere; plain http only for a logo served from this machine during development. */
export function isAllowedLogoUrl(value: string): boolean {
  let url: URL;
  try { url = new URL(value); } catch { return false; }
  if (url.username || url.password) return false;
  if (url.protocol === "https:") return url.hostname.length > 0;
  return url.protocol === "http:" && url.hostname === "localhost";
}

/**
 * An origin that may frame the hosted checkout (CSP frame-ancestors): https://host[:port], or
 * http://localhost[:port] while developing; normalized (lower-case, no default port, no path).
 */
export function embedOrigin(value: string): string | null {
  let url: URL;
  try { url = new URL(value); } catch { return null; }
  if (url.username || url.password || url.search || url.hash || (url.pathname !== "/" && url.pathname !== "")) return null;
  if (value.includes("*")) return null;
  const local = url.hostname === "localhost" || url.hostname === "127.0.0.1";
  if (url.protocol !== "https:" && !(url.protocol === "http:" && local)) return null;
  if (!/^[a-z0-9.-]+$/.test(url.hostname) && !/^\[[0-9a-f:]+\]$/.test(url.hostname)) return null;
  return url.origin;
}

/** "1.25" (percent, at most two decimals) → 125 basis points, without floating point. */
export function percentToBps(value: string): number | null {
  const m = /^(\d{1,3})(?:\.(\d{1,2}))?$/.exec(value.trim());
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? "").padEnd(2, "0"));
}

/** 125 → "1.25", 150 → "1.5", 0 → "0" */
export function bpsToPercent(bps: number): string {
  const whole = Math.trunc(bps / 100);
  const frac = String(bps % 100).padStart(2, "0").replace(/0+$/, "");
  return frac ? `${whole}.${frac}` : String(whole);
}


/** A settlement address of a family; "" removes it (null). EVM addresses are stored EIP-55 checksummed. */
function settlementAddress(family: AddressFamily, chainKey?: string) {
  return z.string().trim().transform((v, ctx) => {
    if (v === "") return null;
    // of the row's own chain: a Litecoin address is no Bitcoin settlement address
    const c = checkAddress(family, v, chainKey);
    if (!c.ok) {
      ctx.addIssue({ code: "custom", message: chainFamily(family).addresses.hint });
      return z.NEVER;
    }
    return c.address;
  });
}

/** "12.5" dollars → 1250 cents, without floating point; null when it is not a plain amount. */
export function dollarsToCents(value: string): number | null {
  const m = /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec(value.trim().replace(/^\$/, "").replace(/,/g, ""));
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? "").padEnd(2, "0"));
}

/** 1250 → "12.50", 5000 → "50" */
export function centsToDollars(cents: number): string {
  const frac = cents % 100;
  return frac ? `${Math.trunc(cents / 100)}.${String(frac).padStart(2, "0")}` : String(Math.trunc(cents / 100));
}

/** A network's settlement policy fields: at once (null), or in batches of at least `min` dollars or every `wait` minutes. */
const batchFields = z.object({ mode: z.string(), min: z.string(), wait: z.string() }).transform((v, ctx): BatchPolicy | null => {
  if (v.mode !== "batch") return null;
  const minCents = dollarsToCents(v.min);
  if (minCents === null || minCents > MAX_BATCH_MIN_CENTS) {
    ctx.addIssue({ code: "custom", path: ["min"], message: "Enter an amount in dollars, e.g. 100 or 12.50." });
  }
  const wait = /^\d{1,5}$/.test(v.wait.trim()) ? Number(v.wait.trim()) : NaN;
  if (!(wait >= 1 && wait <= MAX_BATCH_WAIT_MINUTES)) {
    ctx.addIssue({ code: "custom", path: ["wait"], message: `Enter whole minutes between 1 and ${MAX_BATCH_WAIT_MINUTES} (30 days).` });
  }
  return { minCents: minCents ?? 0, maxWaitMinutes: wait };
});

export function settingsSchema(settlement: readonly { key: string; family: AddressFamily; network?: string; livemode?: boolean; batchable?: boolean }[]) {
  return z.object({
    name: z.string().trim().min(1, "Enter your business name.").max(100, "Keep the business name under 100 characters."),
    logoUrl: z.string().trim().max(2048, "That URL is too long.")
      .refine((v) => v === "" || isAllowedLogoUrl(v), "Use an https:// URL (http:// only for localhost).")
      .transform((v) => v || null),
    accentColor: z.string().trim().regex(/^#[0-9a-fA-F]{6}$/, "Use a hex color like #4f46e5.").transform((v) => v.toLowerCase()),
    expiryMinutes: z.string().trim()
      .regex(/^\d{1,5}$/, "Enter a whole number of minutes.")
      .transform(Number)
      .refine((n) => n >= MIN_EXPIRY_MINUTES && n <= MAX_EXPIRY_MINUTES, `Choose between ${MIN_EXPIRY_MINUTES} minutes and 24 hours (${MAX_EXPIRY_MINUTES} minutes).`),
    tolerancePercent: z.string().trim()
      .transform((v, ctx) => {
        const bps = percentToBps(v);
        if (bps === null) ctx.addIssue({ code: "custom", message: "Enter a percentage with at most two decimals, e.g. 0.5." });
        else if (bps > MAX_TOLERANCE_BPS) ctx.addIssue({ code: "custom", message: "The tolerance can be at most 10%." });
        return bps ?? 0;
      }),
    embedOrigins: z.string().max(2000, "List at most a few origins.").optional().transform((v, ctx) => {
      const out: string[] = [];
      for (const raw of (v ?? "").split(/[\s,]+/).filter(Boolean)) {
        const origin = embedOrigin(raw);
        if (!origin) {
          ctx.addIssue({ code: "custom", message: `"${raw.slice(0, 80)}" is not an origin: use https://shop.example.com (http:// only for localhost), no path.` });
          return z.NEVER;
        }
        if (!out.includes(origin)) out.push(origin);
      }
      if (out.length > 10) ctx.addIssue({ code: "custom", message: "At most 10 origins." });
      return out;
    }),
    /** the checkbox: "on" when ticked, absent when not */
    reuseAddresses: z.string().optional().transform((v) => v === "on"),
    settlement: z.object(Object.fromEntries(settlement.map((t) => [t.key, settlementAddress(t.family, t.network && `${t.network}${t.livemode === false ? ":test" : ""}`)]))),
    /** settlement policies of the networks that allow batches; a network left out keeps its policy */
    batch: z.object(Object.fromEntries(settlement.filter((t) => t.batchable).map((t) => [t.key, batchFields.optional()]))).optional(),
  }).transform(({ expiryMinutes, tolerancePercent, ...rest }) => ({
    ...rest,
    defaultExpirySeconds: expiryMinutes * 60,
    toleranceBps: tolerancePercent,
  }));
}

export type SettingsInput = z.output<ReturnType<typeof settingsSchema>>;
