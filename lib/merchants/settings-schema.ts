// Validation of the dashboard settings form. Pure functions: no database, no config.
import { getAddress, isAddress } from "viem";
import { z } from "zod";
import { isSolanaAddress } from "@/lib/sessions/schemas";

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

const evmAddress = z.string().trim()
  .refine((v) => v === "" || isAddress(v), "Enter a valid EVM address: 0x followed by 40 hex characters (a mixed-case address must match its checksum).")
  .transform((v) => (v === "" ? null : getAddress(v)));

const solanaAddress = z.string().trim()
  .refine((v) => v === "" || isSolanaAddress(v), "Enter a valid Solana address: base58, 32 bytes (e.g. 9WzDXwBbmkg8ZTbNMqUxvQRAyrZzDsGYdLVL9zYtAWWM).")
  .transform((v) => (v === "" ? null : v));

/** Settlement fields: "<network>.<mode>" keys; a "solana.…" key takes a Solana address, the others an EVM one. */
export function settingsSchema(settlementKeys: string[]) {
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
    settlement: z.object(Object.fromEntries(settlementKeys.map((k) => [k, k.startsWith("solana.") ? solanaAddress : evmAddress]))),
  }).transform(({ expiryMinutes, tolerancePercent, ...rest }) => ({
    ...rest,
    defaultExpirySeconds: expiryMinutes * 60,
    toleranceBps: tolerancePercent,
  }));
}

export type SettingsInput = z.output<ReturnType<typeof settingsSchema>>;
