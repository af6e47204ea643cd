// Which mode's data a Wallets page shows: ?mode=test|live, else the instance's own mode.
import { config } from "@/lib/config";

export type WalletMode = "test" | "live";

export function walletMode(params: Record<string, string | string[] | undefined>): WalletMode {
  const m = params.mode;
  return m === "live" || m === "test" ? m : config().mode;
}

export function one(params: Record<string, string | string[] | undefined>, key: string): string {
  const v = params[key];
  return (Array.isArray(v) ? v[0] : v ?? "").trim().slice(0, 200);
}

export function hrefWith(path: string, params: Record<string, string>): string {
  const q = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== ""));
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}
