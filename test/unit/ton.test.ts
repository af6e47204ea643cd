// The TON family's pure parts: address forms, derivation, comments.
import { beginCell } from "@ton/core";
import { describe, expect, it } from "vitest";
import { tonAddressProblem, tonFriendly, tonKey } from "@/lib/chains/ton/address";
import { commentOf } from "@/lib/chains/ton/credits";
import { internalName, tonDomainProblem } from "@/lib/chains/ton/dns";
import { tonAddressAt, tonKeyPairAt, tonWalletOf } from "@/lib/chains/ton/keys";
import { ton } from "@/lib/chains/ton";
import { binaryCommentCell } from "@/lib/chains/ton/withdrawals";

const MNEMONIC = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";

describe("TON family", () => {
  it("accepts raw and user-friendly forms of one account and compares them equal", () => {
    const raw = "0:9dca24be7c857d5157c8f4f86cc28e25d8c03e866f18b1e1f29d9fd8887f58d6";
    const forms = [raw, "0QCdyiS-fIV9UVfI9Phswo4l2MA-hm8YseHynZ_YiH9Y1oSe", "UQCdyiS-fIV9UVfI9Phswo4l2MA-hm8YseHynZ_YiH9Y1j8U"];
    for (const f of forms) {
      expect(tonAddressProblem(f), f).toBeNull();
      expect(tonKey(f)).toBe(raw);
      expect(ton.addresses.key(f)).toBe(raw);
    }
    // non-bounceable, keeping the test-only flag of what was given
    expect(ton.addresses.canonical(forms[1])).toBe(forms[1]);
    expect(ton.addresses.canonical(forms[2])).toBe(forms[2]);
    expect(tonFriendly(raw, { testOnly: true })).toBe(forms[1]);
    expect(tonFriendly(forms[2], { bounceable: true }).startsWith("EQ")).toBe(true);
    // a flipped character breaks the checksum; junk and other workchains are refused
    expect(tonAddressProblem("0QCdyiS-fIV9UVfI9Phswo4l2MA-hm8YseHynZ_YiH9Y1oSf")).toMatch(/checksum/);
    expect(tonAddressProblem("0x1234")).not.toBeNull();
    expect(tonAddressProblem(`5:${"ab".repeat(32)}`)).toMatch(/workchain/);
  });

  it("derives wallet v4r2 addresses at m/44'/607'/i' that the signing key's wallet has", () => {
    for (const i of [0, 1, 42]) {
      expect(tonAddressAt(MNEMONIC, i)).toBe(tonWalletOf(tonKeyPairAt(MNEMONIC, i).publicKey).address.toRawString());
    }
    expect(new Set([0, 1, 2].map((i) => tonAddressAt(MNEMONIC, i))).size).toBe(3);
    // receivers: non-bounceable, test-only in test mode
    const raw = tonAddressAt(MNEMONIC, 1);
    expect(ton.keys!.receiverForm!(raw, false)).toMatch(/^0Q/);
    expect(ton.keys!.receiverForm!(raw, true)).toMatch(/^UQ/);
    expect(() => tonAddressAt(MNEMONIC, 2 ** 31)).toThrow(/out of range/);
  });

  it("reads text comments and shows other bodies as hex (seed 001's binary form)", () => {
    expect(commentOf(beginCell().storeUint(0, 32).storeStringTail("hello").endCell().beginParse())).toBe("hello");
    expect(commentOf(beginCell().storeUint(0xdeadbeef, 32).storeUint(0x12, 8).endCell().beginParse())).toBe("deadbeef12");
    expect(commentOf(beginCell().storeUint(0x9fe, 12).endCell().beginParse())).toBe("9fe");
    // not a whole number of hex digits: the flip-bit notation ("9fe7_" in the seed's words)
    expect(commentOf(beginCell().storeUint(0b1001111111100111, 16).storeBit(1).endCell().beginParse())).toBe("9fe7c_");
    expect(commentOf(beginCell().endCell().beginParse())).toBeNull();
    expect(commentOf(null)).toBeNull();
    // a withdrawal's binary_comment becomes those bits, and reads back the same
    for (const hex of ["9fe7_", "deadbeef", "4_", "a"]) expect(commentOf(binaryCommentCell(hex).beginParse())).toBe(hex);
    expect(binaryCommentCell("9fe7_").bits.length).toBe(15);
  });

  it("asks DNS resolvers with the internal name form", () => {
    expect(internalName("wallet.ton").toString()).toBe("ton\0wallet\0");
    expect(tonDomainProblem("wallet.ton")).toBeNull();
    expect(tonDomainProblem("alice.eth")).not.toBeNull();
    expect(tonDomainProblem("Bad_Name.ton")).not.toBeNull();
  });
});
