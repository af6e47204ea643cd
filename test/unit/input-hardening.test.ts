// The pure parts of the input hardening: client IP selection, log redaction, text checks.
import { describe, expect, it } from "vitest";
import { clientIp, PEER_HEADER } from "@/lib/api/client-ip";
import { failedRequestFields, redactedError } from "@/lib/api/error-log";
import { ApiError } from "@/lib/api/errors";
import { checkJsonText, checkUrlText } from "@/lib/api/input-hygiene";
import { badForm } from "@/lib/forms/checked-form";

const h = (o: Record<string, string>) => new Headers(o);

describe("clientIp", () => {
  it("is the socket peer; X-Forwarded-For only from a trusted proxy", () => {
    expect(clientIp(h({ [PEER_HEADER]: "203.0.113.9", "x-forwarded-for": "1.2.3.4" }), [])).toBe("203.0.113.9");
    expect(clientIp(h({ [PEER_HEADER]: "203.0.113.9", "x-forwarded-for": "1.2.3.4" }), ["loopback"])).toBe("203.0.113.9");
    expect(clientIp(h({ [PEER_HEADER]: "::ffff:127.0.0.1", "x-forwarded-for": "1.2.3.4" }), ["loopback"])).toBe("1.2.3.4");
    // a client-supplied first hop is not believed: the rightmost untrusted hop is the client
    expect(clientIp(h({ [PEER_HEADER]: "10.0.0.2", "x-forwarded-for": "6.6.6.6, 5.5.5.5, 10.0.0.1" }), ["10.0.0.1", "10.0.0.2"])).toBe("5.5.5.5");
    expect(clientIp(h({ [PEER_HEADER]: "::1" }), ["loopback"])).toBe("::1");
    expect(clientIp(h({ "x-forwarded-for": "1.2.3.4" }), ["loopback"])).toBe("unknown");
  });
});

describe("failed-request log fields", () => {
  it("keep query names, drop values, and drop a failed query's parameters", () => {
    const err = new Error("Failed query: insert into checkouts (client_secret) values ($1)\nparams: cs_supersecret", {
      cause: new Error("invalid byte sequence for encoding \"UTF8\": 0x00"),
    });
    const req = new Request("http://x/v1/sessions?clientSecret=cs_supersecret&limit=3", { method: "POST", body: "{\"a\":\"bodysecret\"}" });
    const fields = failedRequestFields(req, new URL(req.url), err);
    expect(fields).toMatchObject({ method: "POST", path: "/v1/sessions", queryParams: ["clientSecret", "limit"] });
    const text = JSON.stringify(fields);
    expect(text).not.toContain("supersecret");
    expect(text).not.toContain("bodysecret");
    expect(redactedError(err).cause?.message).toMatch(/0x00/);
  });
});

describe("text checks", () => {
  const param = (f: () => void) => {
    try { f(); } catch (e) { return e instanceof ApiError ? e.param : "not an ApiError"; }
    return undefined;
  };
  it("name the parameter of a NUL byte or lone surrogate, and pass paired surrogates", () => {
    expect(param(() => checkJsonText({ a: { b: ["ok", "x\u0000"] } }))).toBe("a.b.1");
    expect(param(() => checkJsonText({ m: "\udc00" }))).toBe("m");
    expect(param(() => checkJsonText({ m: "😀 \ud83d\ude00" }))).toBeUndefined();
    expect(param(() => checkUrlText(new URL("http://x/?limit=%00"), {}))).toBe("limit");
    expect(param(() => checkUrlText(new URL("http://x/"), { id: "a\u0000" }))).toBe("id");
  });
  it("a server action's argument must be a storable form", () => {
    const f = new FormData();
    f.set("email", "a@b.c");
    expect(badForm(f)).toBe(false);
    expect(badForm("x")).toBe(true);
    expect(badForm({ get: () => "x" })).toBe(true);
    f.set("name", "a\u0000");
    expect(badForm(f)).toBe(true);
  });
});
