// Child processes of the launcher, with prefixed output and orderly shutdown.
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream } from "node:fs";

export type Child = { name: string; proc: ChildProcess; exited: Promise<number | null>; stop: () => Promise<void> };

export function startChild(name: string, cmd: string, args: string[], env: Record<string, string | undefined>, opts: { quiet?: boolean; logFile?: string } = {}): Child {
  const proc = spawn(cmd, args, { env: env as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"] });
  const prefix = `[${name}] `;
  const file = opts.logFile ? createWriteStream(opts.logFile, { flags: "a" }) : undefined;
  for (const stream of [proc.stdout, proc.stderr]) {
    let buf = "";
    stream?.on("data", (d: Buffer) => {
      buf += d.toString();
      const lines = buf.split("\n");
      buf = lines.pop() ?? "";
      for (const l of lines) {
        if (!l.trim()) continue;
        if (!opts.quiet) process.stdout.write(prefix + l + "\n");
        file?.write(l + "\n");
      }
    });
  }
  const exited = new Promise<number | null>((resolve) => proc.on("exit", (code) => { file?.end(); resolve(code); }));
  const stop = async () => {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    proc.kill("SIGTERM");
    const t = setTimeout(() => proc.kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(t);
  };
  return { name, proc, exited, stop };
}
