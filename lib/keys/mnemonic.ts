// The instance's one BIP-39 mnemonic (DOMAIN.md "Keys"): from TOLLGATE_MNEMONIC, or in test mode
// from <data dir>/mnemonic (generated on first start). Never stored in the database, never logged.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { generateMnemonic, validateMnemonic } from "@scure/bip39";
import { wordlist } from "@scure/bip39/wordlists/english.js";
import type { AppConfig } from "@/lib/config";

export class MnemonicError extends Error {}

function mnemonicFile(cfg: AppConfig): string {
  return path.join(cfg.dataDir, "mnemonic");
}

/** Reads the mnemonic; `create` lets the launcher generate one in test mode. */
export function loadMnemonic(cfg: AppConfig, opts: { create?: boolean; warn?: (m: string) => void; env?: Record<string, string | undefined> } = {}): string {
  const env = opts.env ?? process.env;
  // spending keys stay in the worker: the web derives addresses from the public roots (key_roots)
  if (env.TOLLGATE_SERVICE === "web") throw new MnemonicError("The web process never loads the mnemonic.");
  const fromEnv = env.TOLLGATE_MNEMONIC?.trim().replace(/\s+/g, " ");
  if (fromEnv) {
    if (!validateMnemonic(fromEnv, wordlist)) throw new MnemonicError("TOLLGATE_MNEMONIC is not a valid BIP-39 English mnemonic.");
    return fromEnv;
  }
  if (cfg.mode === "live") throw new MnemonicError("Live mode refuses to start without TOLLGATE_MNEMONIC.");
  const file = mnemonicFile(cfg);
  if (existsSync(file)) {
    const m = readFileSync(file, "utf8").trim();
    if (!validateMnemonic(m, wordlist)) throw new MnemonicError(`${file} does not hold a valid BIP-39 mnemonic.`);
    return m;
  }
  if (!opts.create) throw new MnemonicError(`No TOLLGATE_MNEMONIC and no ${file}; start the product with npm start once, or set TOLLGATE_MNEMONIC.`);
  mkdirSync(cfg.dataDir, { recursive: true });
  const m = generateMnemonic(wordlist, 256);
  writeFileSync(file, m + "\n", { mode: 0o600 });
  opts.warn?.(`No TOLLGATE_MNEMONIC set: generated a TEST-MODE mnemonic into ${file}. ` +
    "Test mode only — back it up if you care about these test funds; live mode requires TOLLGATE_MNEMONIC.");
  return m;
}
