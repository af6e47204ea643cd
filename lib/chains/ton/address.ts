// TON addresses: raw `<workchain>:<64 hex>` or user-friendly (48 characters of base64 or
// base64url: flags, workchain, hash, CRC16). Flags say bounceable or not and test-only. Every form
// of one account compares equal under `tonKey` (its raw form); the stored and shown form is the
// user-friendly non-bounceable one (what wallets show for a wallet, and a deposit to a not yet
// deployed wallet must not bounce), url-safe, keeping a given address's test-only flag.
import { Address } from "@ton/core";

const RAW = /^-?\d{1,3}:[0-9a-fA-F]{64}$/;
const FRIENDLY = /^[A-Za-z0-9+/_-]{48}$/;

/** Why `s` is not a TON address (raw or user-friendly), or null. */
export function tonAddressProblem(s: string): string | null {
  if (RAW.test(s)) {
    const wc = Number(s.split(":")[0]);
    return wc === 0 || wc === -1 ? null : `'${s}' names workchain ${wc}: TON accounts are in workchain 0 (or -1, the masterchain).`;
  }
  if (!FRIENDLY.test(s)) return `'${s}' is not a TON address: expected a user-friendly address (48 characters, e.g. UQ… or 0Q…) or a raw one (0:<64 hex digits>).`;
  try {
    Address.parseFriendly(s);
    return null;
  } catch {
    return `'${s}' is not a TON address: its checksum or flags are wrong.`;
  }
}

export function parseTonAddress(s: string): { address: Address; testOnly: boolean | null; bounceable: boolean | null } {
  if (RAW.test(s)) return { address: Address.parseRaw(s), testOnly: null, bounceable: null };
  const f = Address.parseFriendly(s);
  return { address: f.address, testOnly: f.isTestOnly, bounceable: f.isBounceable };
}

/** The raw form: the same for every way of writing one account. */
export function tonKey(s: string): string {
  return parseTonAddress(s).address.toRawString();
}

/** User-friendly non-bounceable, url-safe; test-only as given (a raw address: `testOnly`). */
export function tonFriendly(s: string | Address, opts: { testOnly?: boolean; bounceable?: boolean } = {}): string {
  const p = typeof s === "string" ? parseTonAddress(s) : { address: s, testOnly: null };
  return p.address.toString({ urlSafe: true, bounceable: opts.bounceable ?? false, testOnly: opts.testOnly ?? p.testOnly ?? false });
}

/**
 * A jetton master as deposits and checkouts record it (ChainFamily addresses.token): a contract,
 * so bounceable, url-safe, with the test-only flag as configured.
 */
export function tonTokenForm(s: string): string {
  return tonFriendly(s, { bounceable: true });
}
