// AUTH_SECRET for next-auth: from the environment, or (test mode) generated once into the data dir.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { AppConfig } from "@/lib/config";

export function ensureAuthSecret(cfg: AppConfig, env: Record<string, string | undefined>): string {
  if (env.AUTH_SECRET) return env.AUTH_SECRET;
  if (cfg.mode === "live") throw new Error("Live mode needs AUTH_SECRET (32+ random bytes, e.g. `openssl rand -base64 32`).");
  const file = path.join(cfg.dataDir, "auth-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(cfg.dataDir, { recursive: true });
  const s = randomBytes(32).toString("base64");
  writeFileSync(file, s, { mode: 0o600 });
  return s;
}
