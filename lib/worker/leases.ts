// At most one active watcher per network across all worker processes: a session-level
// PostgreSQL advisory lock, held on a dedicated connection. If the process dies, the
// connection drops and another worker takes over.
import pg from "pg";
import { databaseUrl } from "@/lib/db/client";

export class Leases {
  private client: pg.Client | undefined;
  private held = new Set<string>();

  private async conn(): Promise<pg.Client> {
    if (!this.client) {
      const c = new pg.Client({ connectionString: databaseUrl() });
      c.on("error", () => { this.client = undefined; this.held.clear(); });
      await c.connect();
      this.client = c;
    }
    return this.client;
  }

  /** True when this process holds (or just acquired) the lease named `name`. */
  async tryAcquire(name: string): Promise<boolean> {
    if (this.held.has(name)) return true;
    const c = await this.conn();
    const { rows } = await c.query<{ ok: boolean }>("select pg_try_advisory_lock(hashtext('tollgate:' || $1)) as ok", [name]);
    if (rows[0]?.ok) this.held.add(name);
    return rows[0]?.ok ?? false;
  }

  has(name: string): boolean {
    return this.held.has(name);
  }

  names(): string[] {
    return [...this.held];
  }

  async close(): Promise<void> {
    const c = this.client;
    this.client = undefined;
    this.held.clear();
    await c?.end().catch(() => {});
  }
}
