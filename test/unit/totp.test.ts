// TOTP (lib/auth/totp) against RFC 6238's own test vectors, and the rules around it: drift of one
// step either way, never a code twice, base32 both ways.
import { describe, expect, it } from "vitest";
import { base32Decode, base32Encode, codeAt, otpauthUri, stepAt, verifyTotp } from "@/lib/auth/totp";

// RFC 6238 appendix B, SHA-1: the ASCII secret "12345678901234567890"
const RFC_SECRET = base32Encode(Buffer.from("12345678901234567890"));

describe("totp", () => {
  it("matches RFC 6238's SHA-1 vectors (8 digits)", () => {
    expect(RFC_SECRET).toBe("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    for (const [t, code] of [[59, "94287082"], [1111111109, "07081804"], [1111111111, "14050471"], [1234567890, "89005924"], [2000000000, "69279037"], [20000000000, "65353130"]] as const) {
      expect(codeAt(RFC_SECRET, stepAt(t * 1000), 8)).toBe(code);
    }
  });
  it("accepts the step before, the current and the next, and nothing further", () => {
    const now = 1_800_000_000_000;
    const s = stepAt(now);
    for (const d of [-1, 0, 1]) expect(verifyTotp(RFC_SECRET, codeAt(RFC_SECRET, s + d), { now })).toBe(s + d);
    for (const d of [-2, 2]) expect(verifyTotp(RFC_SECRET, codeAt(RFC_SECRET, s + d), { now })).toBeNull();
    expect(verifyTotp(RFC_SECRET, "12345", { now })).toBeNull();
    expect(verifyTotp(RFC_SECRET, "abcdef", { now })).toBeNull();
  });
  it("never accepts a step at or before the last one used", () => {
    const now = 1_800_000_000_000;
    const s = stepAt(now);
    expect(verifyTotp(RFC_SECRET, codeAt(RFC_SECRET, s), { now, lastStep: s })).toBeNull();
    expect(verifyTotp(RFC_SECRET, codeAt(RFC_SECRET, s + 1), { now, lastStep: s })).toBe(s + 1);
  });
  it("base32 round-trips and the otpauth URI names issuer and account", () => {
    const raw = Buffer.from([0, 1, 2, 250, 251, 252, 253, 254, 255, 7]);
    expect(base32Decode(base32Encode(raw))).toEqual(raw);
    expect(otpauthUri("ABC", "ann@example.com")).toBe("otpauth://totp/Tollgate:ann%40example.com?secret=ABC&issuer=Tollgate&algorithm=SHA1&digits=6&period=30");
  });
});
