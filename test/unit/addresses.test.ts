// Address validation (issue 5 item 5) and the Tron address codec, against known mainnet values.
import { describe, expect, it } from "vitest";
import {
  checkAddress, displayAddress, evmAddressInput, hexToTron, isAddressOf, isEvmAddress, isSolanaAddress, isTronAddress,
  solanaAddressInput, storedAddress, toEvmAddress, tronAddressInput, tronToHex, wireAddress,
} from "@/lib/addresses";
import { settingsSchema } from "@/lib/merchants/settings-schema";

const VITALIK = "0xd8dA6BF26964aF9D7eEd9e03E53415D37aA96045";
// Tether's TRC-20 contract and its hex form (41 + 20 bytes), as Tronscan shows them
const USDT_TRON = "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t";
const USDT_TRON_HEX = "0xa614f803b6fd780986a42c78ec9c7f77e6ded13c";
const USDC_MINT = "EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v";

/** `s` with one character replaced by another of the same alphabet. */
function typo(s: string, at: number): string {
  const c = s[at] === "a" ? "b" : "a";
  return s.slice(0, at) + c + s.slice(at + 1);
}

describe("EVM addresses", () => {
  it("accepts checksummed, all-lower and all-upper case", () => {
    expect(isEvmAddress(VITALIK)).toBe(true);
    expect(isEvmAddress(VITALIK.toLowerCase())).toBe(true);
    expect(isEvmAddress("0x" + VITALIK.slice(2).toUpperCase())).toBe(true);
  });
  it("refuses a mixed-case address whose EIP-55 checksum does not match", () => {
    const bad = VITALIK.replace("dA6", "Da6");
    expect(isEvmAddress(bad)).toBe(false);
    expect(checkAddress("evm", bad)).toEqual({ ok: false, problem: expect.stringContaining("EIP-55") });
  });
  it("refuses wrong lengths and non-hex", () => {
    for (const s of ["", "0x", VITALIK.slice(0, 41), VITALIK + "0", "0xg8dA6BF26964aF9D7eEd9e03E53415D37aA96045", VITALIK.slice(2)]) {
      expect(isEvmAddress(s), s).toBe(false);
    }
  });
  it("canonicalises to EIP-55", () => {
    expect(checkAddress("evm", VITALIK.toLowerCase())).toEqual({ ok: true, address: VITALIK });
  });
});

describe("Tron addresses", () => {
  it("accepts a base58check T… address and converts it to and from the JSON-RPC hex form", () => {
    expect(isTronAddress(USDT_TRON)).toBe(true);
    expect(tronToHex(USDT_TRON)).toBe(USDT_TRON_HEX);
    expect(hexToTron(USDT_TRON_HEX)).toBe(USDT_TRON);
    expect(hexToTron("41" + USDT_TRON_HEX.slice(2))).toBe(USDT_TRON);
    expect(wireAddress(USDT_TRON)).toBe(USDT_TRON_HEX);
    expect(toEvmAddress(USDT_TRON)).toBe("0xa614f803B6FD780986A42c78Ec9c7f77e6DeD13C");
    expect(storedAddress("tron", USDT_TRON_HEX)).toBe(USDT_TRON);
    expect(displayAddress("tron", USDT_TRON_HEX)).toBe(USDT_TRON);
  });
  it("refuses a typo (checksum), wrong length, wrong prefix and non-base58 characters", () => {
    for (let i = 1; i < USDT_TRON.length; i += 5) expect(isTronAddress(typo(USDT_TRON, i)), typo(USDT_TRON, i)).toBe(false);
    expect(tronAddressInput.safeParse(typo(USDT_TRON, 10)).error?.issues[0].message).toMatch(/checksum/);
    expect(isTronAddress(USDT_TRON.slice(0, 33))).toBe(false);
    expect(isTronAddress(USDT_TRON + "1")).toBe(false);
    expect(isTronAddress("0" + USDT_TRON.slice(1))).toBe(false);
    expect(isTronAddress("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6O")).toBe(false); // O is not base58
    // a valid base58check payload with another version byte (a Bitcoin address) is not Tron
    expect(isTronAddress("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa")).toBe(false);
    expect(isAddressOf("tron", VITALIK)).toBe(false);
  });
});

describe("Solana addresses", () => {
  it("accepts base58 of exactly 32 bytes", () => {
    expect(isSolanaAddress(USDC_MINT)).toBe(true);
    expect(isSolanaAddress("11111111111111111111111111111111")).toBe(true); // the system program: 32 zero bytes
    expect(solanaAddressInput.safeParse(USDC_MINT).success).toBe(true);
  });
  it("refuses other lengths, non-base58 and other families' addresses", () => {
    expect(isSolanaAddress(USDC_MINT.slice(0, 40))).toBe(false);
    expect(isSolanaAddress(USDC_MINT + "1")).toBe(false);
    expect(isSolanaAddress("EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt10")).toBe(false); // 0 is not base58
    expect(isSolanaAddress(USDT_TRON)).toBe(false);
    expect(isSolanaAddress(VITALIK)).toBe(false);
  });
});

describe("dispatch by family", () => {
  it("checks each family with its own rules", () => {
    expect(checkAddress("tron", USDT_TRON)).toEqual({ ok: true, address: USDT_TRON });
    expect(checkAddress("solana", USDC_MINT)).toEqual({ ok: true, address: USDC_MINT });
    expect(checkAddress("evm", USDT_TRON).ok).toBe(false);
    expect(checkAddress("tron", USDC_MINT).ok).toBe(false);
    expect(checkAddress("solana", VITALIK).ok).toBe(false);
    expect(evmAddressInput.safeParse(VITALIK.replace("dA6", "Da6")).success).toBe(false);
  });

  it("validates settlement addresses in the dashboard settings by the network's family", () => {
    const schema = settingsSchema([{ key: "ethereum.test", family: "evm" }, { key: "tron.test", family: "tron" }]);
    const base = { name: "Shop", logoUrl: "", accentColor: "#4f46e5", expiryMinutes: "60", tolerancePercent: "0" };
    const ok = schema.safeParse({ ...base, settlement: { "ethereum.test": VITALIK.toLowerCase(), "tron.test": USDT_TRON } });
    expect(ok.success).toBe(true);
    expect(ok.data?.settlement).toEqual({ "ethereum.test": VITALIK, "tron.test": USDT_TRON });
    const bad = schema.safeParse({ ...base, settlement: { "ethereum.test": USDT_TRON, "tron.test": typo(USDT_TRON, 20) } });
    expect(bad.error?.issues.map((i) => [i.path.join("."), i.message.split(":")[0]])).toEqual([
      ["settlement.ethereum.test", "Enter a valid EVM address"],
      ["settlement.tron.test", "Enter a valid Tron address"],
    ]);
    const cleared = schema.safeParse({ ...base, settlement: { "ethereum.test": "", "tron.test": " " } });
    expect(cleared.data?.settlement).toEqual({ "ethereum.test": null, "tron.test": null });
  });
});
