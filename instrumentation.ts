// Runs once when a Next.js server starts: hooks on the HTTP server (lib/api/server-hooks.ts), and
// open the database pool's connections before the first request needs them (lib/db/client.ts
// warmPool). Not awaited: start-up never waits on the pool.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.NEXT_PHASE === "phase-production-build") return;
  const { installServerHooks } = await import("@/lib/api/server-hooks");
  installServerHooks();
  if (!process.env.DATABASE_URL) return;
  const { warmPool } = await import("@/lib/db/client");
  void warmPool();
}
