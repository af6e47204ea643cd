import { describe, expect, it } from "vitest";
import { ApiError } from "@/lib/api/errors";
import { parseJsonBody } from "@/lib/api/json";

describe("parseJsonBody", () => {
  it("parses JSON and treats an empty body as {}", () => {
    expect(parseJsonBody('{"a":1,"b":"x"}')).toEqual({ a: 1, b: "x" });
    expect(parseJsonBody("")).toEqual({});
  });
  it("rejects malformed JSON with a validation error", () => {
    try {
      parseJsonBody("{nope");
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ApiError);
      expect((e as ApiError).body().error).toMatchObject({ type: "validation_error", code: "invalid_json" });
    }
  });
  it("accepts numbers a double holds exactly (seed 004 sends displayAmount: 50)", () => {
    expect(parseJsonBody('{"displayAmount": 50, "x": 54.759355, "y": 1e2, "s": "123456789012345678901"}')).toEqual({
      displayAmount: 50, x: 54.759355, y: 100, s: "123456789012345678901",
    });
  });
  it("refuses numbers that would lose precision through a float", () => {
    expect(() => parseJsonBody('{"amount": 0.12345678901234567890}')).toThrow(/cannot be represented exactly/);
    expect(() => parseJsonBody('{"amount": 123456789012345678901}')).toThrow(/cannot be represented exactly/);
  });
  it("ignores digits inside strings, including escaped quotes", () => {
    expect(parseJsonBody('{"k": "0.12345678901234567890 \\" 99999999999999999999"}')).toBeTruthy();
  });
  it("finds the end of a string after escaped backslashes, so a number after it is still checked", () => {
    // "a\\" is the text a\ (an escaped backslash, then the closing quote)
    expect(parseJsonBody('{"k": "a\\\\", "n": 1}')).toEqual({ k: "a\\", n: 1 });
    expect(() => parseJsonBody('{"k": "a\\\\", "n": 123456789012345678901}')).toThrow(/cannot be represented exactly/);
    expect(() => parseJsonBody('{"k": "\\"x\\\\", "n": [1, 0.12345678901234567890]}')).toThrow(/cannot be represented exactly/);
  });
});
