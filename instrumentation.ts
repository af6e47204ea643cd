// Runs once when a Next.js server starts: open the database pool's connections before the first
// request needs them (lib/db/client.ts warmPool). Not awaited: start-up never waits on it.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs" || !process.env.DATABASE_URL || process.env.NEXT_PHASE === "phase-production-build") return;
  const { warmPool } = await import("@/lib/db/client");
  void warmPool();
}
