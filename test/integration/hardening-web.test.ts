// Issue 14, the web process's side: it never holds spending keys (DOMAIN.md "Keys").
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, inject, it } from "vitest";
import { freePort } from "@/lib/devnet/free-port";

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
