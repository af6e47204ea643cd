// A worker process a test starts itself (its own database or settings), output appended to the
// run's log directory, stopped with kill(signal) and awaited.
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream } from "node:fs";
import path from "node:path";

export type WorkerProc = { proc: ChildProcess; exited: Promise<void>; kill: (sig?: NodeJS.Signals) => Promise<void> };

export function spawnWorker(env: Record<string, string | undefined>, log?: { dir: string; name: string }): WorkerProc {
  const proc = spawn(process.execPath, ["--import", "tsx", "workers/index.ts"], {
    env: { ...env, TOLLGATE_SERVICE: "worker" } as unknown as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  if (log?.dir) {
    const file = createWriteStream(path.join(log.dir, `${log.name}.log`), { flags: "a" });
    proc.stdout?.pipe(file);
    proc.stderr?.pipe(file);
  }
  const exited = new Promise<void>((r) => proc.once("exit", () => r()));
  return {
    proc, exited,
    kill: async (sig: NodeJS.Signals = "SIGTERM") => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(sig);
      await exited;
    },
  };
}
