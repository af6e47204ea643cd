// Which sites may frame the hosted checkout: the settings form's origins and the CSP they become.
import { describe, expect, it } from "vitest";
import { embedOrigin, settingsSchema } from "@/lib/merchants/settings-schema";
import { contentSecurityPolicy } from "@/lib/security/headers";

describe("checkout embedding origins", () => {
  it("accepts https origins (and http://localhost), normalized; refuses paths, wildcards, credentials and other schemes", () => {
    expect(embedOrigin("https://Shop.Example.com")).toBe("https://shop.example.com");
    expect(embedOrigin("https://shop.example.com:443/")).toBe("https://shop.example.com");
    expect(embedOrigin("http://localhost:5173")).toBe("http://localhost:5173");
    for (const bad of ["http://shop.example.com", "https://shop.example.com/pay", "https://*.example.com", "https://a:b@shop.example.com",
      "javascript:alert(1)", "https://shop.example.com?x=1", "shop.example.com", "'self'"]) expect(embedOrigin(bad), bad).toBeNull();
  });
  it("the settings form takes one origin per line (or comma), deduplicated, and names a bad one", () => {
    const base = { name: "S", logoUrl: "", accentColor: "#4f46e5", expiryMinutes: "60", tolerancePercent: "0", settlement: {} };
    const ok = settingsSchema([]).safeParse({ ...base, embedOrigins: "https://a.example.com\nhttps://b.example.com, https://a.example.com" });
    expect(ok.success && ok.data.embedOrigins).toEqual(["https://a.example.com", "https://b.example.com"]);
    const bad = settingsSchema([]).safeParse({ ...base, embedOrigins: "https://a.example.com/x" });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0].path).toEqual(["embedOrigins"]);
  });
  it("only a checkout page carries the merchant's frame-ancestors", () => {
    const csp = (kind: "checkout" | "dashboard" | "page") => contentSecurityPolicy({ nonce: "n", kind, connectOrigins: [], https: false, dev: false, frameAncestors: ["https://a.example.com"] });
    expect(csp("checkout")).toContain("frame-ancestors https://a.example.com");
    expect(csp("dashboard")).toContain("frame-ancestors 'none'");
    expect(csp("page")).toContain("frame-ancestors 'none'");
  });
});
