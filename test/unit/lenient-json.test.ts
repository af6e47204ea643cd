import { describe, expect, it } from "vitest";
import { repairJson } from "@/lib/api/lenient-json";
import { parseJsonBody } from "@/lib/api/json";

describe("seed-dialect JSON slips", () => {
  it("repairs a missing comma between members on separate lines and a trailing comma", () => {
    expect(JSON.parse(repairJson('{\n"a": "x" \n"b": 1\n}')!)).toEqual({ a: "x", b: 1 });
    expect(JSON.parse(repairJson('{\n"from": "0QAU",\n}')!)).toEqual({ from: "0QAU" });
    expect(JSON.parse(repairJson('{"a": [1, 2,], "b": {"c": true,}}')!)).toEqual({ a: [1, 2], b: { c: true } });
    expect(JSON.parse(repairJson('{\n"a": {"x": null}\n"b": "y"\n}')!)).toEqual({ a: { x: null }, b: "y" });
  });

  it("never touches strings and leaves valid JSON alone", () => {
    expect(repairJson('{"a": "x,}"}')).toBeNull();
    expect(JSON.parse(repairJson('{"a": "line\\n\\"q\\",}",}')!)).toEqual({ a: 'line\n"q",}' });
    // two values on one line without a comma are not a slip the documents make: still invalid
    expect(() => JSON.parse(repairJson('{"a": "x" "b": 1}') ?? "")).toThrow();
  });

  it("is used only when asked", () => {
    expect(() => parseJsonBody('{"a": 1,}')).toThrow(/not valid JSON/);
    expect(parseJsonBody('{"a": 1,}', { lenient: true })).toEqual({ a: 1 });
    expect(() => parseJsonBody('{"a": 1', { lenient: true })).toThrow(/not valid JSON/);
  });
});
