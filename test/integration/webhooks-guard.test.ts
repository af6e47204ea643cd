// The live-mode address guard, with resolvers of the test's own: no traffic ever goes to a private
// range. Creation-time refusal through the API is in webhooks-api.test.ts.
import { describe, expect, it } from "vitest";
import { isPrivateAddress, publicAddresses, type Resolver } from "@/lib/webhooks/address-guard";
import { sendAttempt } from "@/lib/webhooks/send";

describe("address guard", () => {
  it.each([
    "127.0.0.1", "127.255.0.9", "10.0.0.1", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254", "0.0.0.0", "100.64.0.1",
    "::1", "::", "fc00::1", "fd12:3456::1", "fe80::1", "::ffff:127.0.0.1", "::ffff:7f00:1", "::ffff:10.0.0.1", "::ffff:a9fe:a9fe", "64:ff9b::a00:1", "ff02::1",
  ])("%s is not public", (ip) => expect(isPrivateAddress(ip)).toBe(true));

  it.each(["8.8.8.8", "172.32.0.1", "192.169.0.1", "1.1.1.1", "2606:4700:4700::1111", "::ffff:8.8.8.8"])("%s is public", (ip) => {
    expect(isPrivateAddress(ip)).toBe(false);
  });

  it("refuses a name when any of its answers is private", async () => {
    const resolver: Resolver = async () => [{ address: "93.184.216.34", family: 4 }, { address: "10.0.0.1", family: 4 }];
    await expect(publicAddresses(new URL("https://rebind.example/"), resolver)).rejects.toThrow(/10\.0\.0\.1/);
    await expect(publicAddresses(new URL("http://localhost:3000/"), resolver)).rejects.toThrow(/loopback/);
    await expect(publicAddresses(new URL("http://[::ffff:127.0.0.1]/"), resolver)).rejects.toThrow(/private/);
  });

  it("at delivery time, a live-mode name resolving to 10.0.0.1 is refused before any connection", async () => {
    const asked: string[] = [];
    const resolver: Resolver = async (h) => { asked.push(h); return [{ address: "10.0.0.1", family: 4 }]; };
    const r = await sendAttempt("https://hooks.merchant.example/x", { "webhook-id": "msg_1" }, "{}", { livemode: true, timeoutMs: 1000, resolver });
    expect(asked).toEqual(["hooks.merchant.example"]);
    expect(r).toMatchObject({ ok: false, retryable: false, statusCode: null });
    expect(r.error).toMatch(/^refused: .*10\.0\.0\.1/);
  });

  it("test mode skips the check (local development)", async () => {
    const resolver: Resolver = async () => { throw new Error("must not resolve"); };
    const r = await sendAttempt("http://127.0.0.1:1/x", {}, "{}", { livemode: false, timeoutMs: 1000, resolver });
    expect(r.error).toMatch(/ECONNREFUSED/);
  });
});
