// Child processes of the launcher, with prefixed output and orderly shutdown.
import { spawn, type ChildProcess } from "node:child_process";

export type Child = { name: string; proc: ChildProcess; exited: Promise<number | null>; stop: () => Promise<void> };

export function startChild(name: string, cmd: string, args: string[], env: Record<string, string | undefined>, opts: { quiet?: boolean } = {}): Child {
  const proc = spawn(cmd, args, { env: env as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"] });
  const prefix = `[${name}] `;
  for (const stream of [proc.stdout, proc.stderr]) {
    let buf = "";
    stream?.on("data", (d: Buffer) => {
      buf += d.toString();
      const lines = buf.split("\n");
      buf = lines.pop() ?? "";
      if (!opts.quiet) for (const l of lines) if (l.trim()) process.stdout.write(prefix + l + "\n");
    });
  }
  const exited = new Promise<number | null>((resolve) => proc.on("exit", (code) => resolve(code)));
  const stop = async () => {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    proc.kill("SIGTERM");
    const t = setTimeout(() => proc.kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(t);
  };
  return { name, proc, exited, stop };
}
