// Issue 14, the web process's side: it never holds spending keys (DOMAIN.md "Keys"), and sign-in
// is throttled without a lock-out.
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, inject, it } from "vitest";
import { freePort } from "@/lib/devnet/free-port";
import { newMerchant } from "../helpers/api";

const env = inject("testEnv");
const childEnv = JSON.parse(env.childEnvJson) as Record<string, string | undefined>;
// a valid BIP-39 mnemonic that is not the instance's (anvil's well-known one)
const MNEMONIC = "test test test test test test test test test test test junk";

/** The environments of the running processes that have all of `vars` (NAME=value lines). */
function environsWith(vars: string[]): string[][] {
  const out: string[][] = [];
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    let entries: string[];
    try {
      entries = readFileSync(`/proc/${pid}/environ`, "utf8").split("\0");
    } catch {
      continue; // gone, or not ours to read
    }
    if (vars.every((v) => entries.includes(v))) out.push(entries);
  }
  return out;
}

function run(args: string[], extra: Record<string, string | undefined>) {
  const proc = spawn(process.execPath, ["--import", "tsx", ...args], {
    env: { ...childEnv, ...extra } as unknown as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  proc.stdout.on("data", (d: Buffer) => { output += d.toString(); });
  proc.stderr.on("data", (d: Buffer) => { output += d.toString(); });
  const exited = new Promise<number | null>((r) => proc.once("exit", (code) => r(code)));
  return { proc, exited, output: () => output };
}

describe("the web process never receives TOLLGATE_MNEMONIC", () => {
  it("the stack's web process has no TOLLGATE_MNEMONIC in its environment", () => {
    const port = new URL(env.baseUrl).port;
    const webs = environsWith(["TOLLGATE_SERVICE=web", `PORT=${port}`]);
    expect(webs.length).toBeGreaterThan(0);
    for (const e of webs) expect(e.filter((v) => v.startsWith("TOLLGATE_MNEMONIC="))).toEqual([]);
  });

  it("npm run web strips it from the Next.js server it starts (test mode)", async () => {
    const port = await freePort();
    const web = run(["scripts/web.ts"], { TOLLGATE_MODE: "test", TOLLGATE_MNEMONIC: MNEMONIC, PORT: String(port) });
    try {
      const deadline = Date.now() + 60_000;
      for (;;) {
        const r = await fetch(`http://127.0.0.1:${port}/livez`).catch(() => undefined);
        if (r?.ok) break;
        if (Date.now() > deadline || web.proc.exitCode !== null) throw new Error(`npm run web did not come up:\n${web.output()}`);
        await new Promise((r) => setTimeout(r, 250));
      }
      const servers = environsWith(["TOLLGATE_SERVICE=web", `PORT=${port}`]);
      expect(servers.length).toBeGreaterThan(0);
      for (const e of servers) expect(e.filter((v) => v.startsWith("TOLLGATE_MNEMONIC="))).toEqual([]);
    } finally {
      web.proc.kill("SIGTERM");
      await web.exited;
    }
  }, 90_000);

  it("npm run web refuses to start in live mode when it is set", async () => {
    const web = run(["scripts/web.ts"], { TOLLGATE_MODE: "live", TOLLGATE_DEVNET: "0", TOLLGATE_MNEMONIC: MNEMONIC, PORT: String(await freePort()) });
    const code = await web.exited;
    expect(code).toBe(1);
    expect(web.output()).toContain("refuses to start in live mode with TOLLGATE_MNEMONIC set");
    expect(web.output()).not.toContain(MNEMONIC);
  }, 60_000);
});

// Sign-in throttling, through Auth.js's own credentials endpoint (the sign-in form's server action
// calls the same authorize): growing delays per IP and account, no lock-out a stranger can cause.
type Outcome = "ok" | "wrong" | "throttled" | "busy";

async function signIn(email: string, password: string, ip: string): Promise<Outcome> {
  const headers = { "X-Forwarded-For": ip };
  const csrf = await fetch(`${env.baseUrl}/api/auth/csrf`, { headers });
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const cookie = csrf.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  const res = await fetch(`${env.baseUrl}/api/auth/callback/credentials`, {
    method: "POST", redirect: "manual",
    headers: { ...headers, cookie, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email, password, csrfToken, callbackUrl: `${env.baseUrl}/dashboard` }),
  });
  expect(res.status).toBe(302);
  const location = new URL(res.headers.get("location")!, env.baseUrl);
  if (location.searchParams.get("error") !== "CredentialsSignin") {
    expect(res.headers.getSetCookie().some((c) => c.includes("session-token="))).toBe(true);
    return "ok";
  }
  const code = location.searchParams.get("code");
  return code === "throttled" ? "throttled" : code === "busy" ? "busy" : "wrong";
}

let ipSeq = 0;
const newIp = () => `198.51.${Math.floor(++ipSeq / 250) % 250}.${(ipSeq % 250) + 1}-${process.pid}`;

describe("sign-in throttling", () => {
  it("a stranger's wrong passwords from many IPs never lock the owner out: the right password from a new IP waits a few seconds at most", async () => {
    const m = await newMerchant("Throttle owner");
    for (let i = 0; i < 14; i++) expect(["wrong", "throttled"]).toContain(await signIn(m.email, "not the password", newIp()));
    const ownerIp = newIp();
    const started = Date.now();
    let outcome: Outcome = await signIn(m.email, m.password, ownerIp);
    while (outcome === "throttled" && Date.now() - started < 8_000) {
      await new Promise((r) => setTimeout(r, 1_000));
      outcome = await signIn(m.email, m.password, ownerIp);
    }
    expect(outcome).toBe("ok");
    expect(Date.now() - started).toBeLessThan(8_000);
  });

  it("one IP guessing one account is slowed at once, and its delays grow; another IP signs in", async () => {
    const m = await newMerchant("Throttle target");
    const guesser = newIp();
    for (let i = 0; i < 3; i++) expect(await signIn(m.email, "guess " + i, guesser)).toBe("wrong");
    expect(await signIn(m.email, "guess 3", guesser)).toBe("wrong"); // the 4th counts, then waits 1 s
    expect(await signIn(m.email, m.password, guesser)).toBe("throttled"); // even the right password, from there
    await new Promise((r) => setTimeout(r, 1_100));
    expect(await signIn(m.email, "guess 4", guesser)).toBe("wrong"); // now 2 s
    await new Promise((r) => setTimeout(r, 1_100));
    expect(await signIn(m.email, "guess 5", guesser)).toBe("throttled"); // still inside the longer delay
    expect(await signIn(m.email, m.password, newIp())).toBe("ok");
  });

  it("a burst of sign-ins is bounded: excess attempts are told to try again, none fail", async () => {
    const attempts = await Promise.all(Array.from({ length: 60 }, (_, i) => signIn(`burst-${i}-${process.pid}@test.local`, "whatever password", newIp())));
    expect(attempts.filter((a) => a !== "wrong" && a !== "busy")).toEqual([]);
    expect(attempts.filter((a) => a === "busy").length).toBeGreaterThan(0);
  }, 60_000);
});
