// Outside lib/chains nothing switches on a chain family's name (DOMAIN.md "Chain families and the
// worker"): code asks lib/chains/registry for the family and uses what it implements, so a new
// family (TON, Bitcoin) is a folder, a registry line and a checkout component — no edits elsewhere.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { familySwitches, FAMILY_SWITCH_PATTERNS } from "./family-switches";

const ROOT = path.resolve(import.meta.dirname, "../..");


describe("chain families", () => {
  it("no file outside lib/chains compares a family name", () => {
    const found = familySwitches(ROOT);
    expect(found.map((s) => `${s.file}:${s.line}: ${s.text}`), "use lib/chains/registry (familyOf, chainsOfFamily, …) instead").toEqual([]);
  });

  it("the patterns catch the forms a family switch takes, and not other families", () => {
    const hits = (line: string) => FAMILY_SWITCH_PATTERNS.some((p) => p.test(line));
    expect(hits(`const chain = config().networks.find((c) => c.family === "tron" && c.enabled);`)).toBe(true);
    expect(hits(`if (family !== "evm" && family !== "tron") throw new Error();`)).toBe(true);
    expect(hits(`if ("solana" === chain.family) return;`)).toBe(true);
    expect(hits(`  case "ton":`)).toBe(true);
    expect(hits(`const chains = enabledChains().filter((c) => isEvmLike(c.family));`)).toBe(true);
    // an IP address family, a family looked up by name, a payment method type
    expect(hits(`family: ipVersion === 6 ? 6 : 4`)).toBe(false);
    expect(hits(`const [chain] = chainsOfFamily("tron", livemode);`)).toBe(false);
  });
});
