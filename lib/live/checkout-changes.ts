// Live updates for the payer's page: one LISTEN connection per web process on the channel the
// database's triggers notify (db/migrations/0023_checkout_notify.sql: a checkout changed, a deposit
// for it was recorded, confirmed or reverted), fanned out to the pages watching that checkout
// (app/checkout/[id]/events). The connection opens with the first watcher and closes after the
// last; when it drops, every watcher is told to refetch (nothing is missed while it reconnects) and
// it is opened again. A pooler in transaction mode cannot LISTEN: pages then keep polling.
import pg from "pg";
import { databaseUrl } from "@/lib/db/client";
import { logger } from "@/lib/log/logger";

export const CHECKOUT_CHANNEL = "tollgate_checkout";

type Watcher = () => void;
type State = { watchers: Map<string, Set<Watcher>>; client?: Promise<pg.Client>; retry?: ReturnType<typeof setTimeout> };
// one per process (survives Next.js dev reloads, as the pool does)
const state = ((globalThis as Record<string, unknown>).__tollgateLive ??= { watchers: new Map() }) as State;

function everyone(): void {
  for (const set of state.watchers.values()) for (const w of set) w();
}

function connect(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: databaseUrl(), application_name: "tollgate-live" });
  const dropped = (why: string) => {
    if (state.client === opened) state.client = undefined;
    client.removeAllListeners();
    client.end().catch(() => {});
    if (state.watchers.size === 0) return;
    logger.warn({ why }, "live updates: the LISTEN connection dropped; reconnecting");
    everyone();
    state.retry ??= setTimeout(() => {
      state.retry = undefined;
      if (state.watchers.size > 0) ensureListening();
    }, 1000);
  };
  const opened = (async () => {
    client.on("notification", (m) => {
      if (m.channel !== CHECKOUT_CHANNEL || !m.payload) return;
      for (const w of state.watchers.get(m.payload) ?? []) w();
    });
    client.on("error", (e) => dropped(e.message));
    client.on("end", () => dropped("closed"));
    await client.connect();
    await client.query(`LISTEN ${CHECKOUT_CHANNEL}`);
    return client;
  })();
  opened.catch((e: unknown) => dropped(e instanceof Error ? e.message : String(e)));
  return opened;
}

function ensureListening(): void {
  state.client ??= connect();
}

/**
 * Calls `onChange` whenever checkout `id` may have changed (and after a reconnect). `ready`
 * settles once the connection listens: a change committed after that is heard (it rejects when the
 * database cannot be reached; the watcher stays registered and is told once it reconnects).
 */
export function watchCheckout(id: string, onChange: Watcher): { ready: Promise<void>; stop: () => void } {
  let set = state.watchers.get(id);
  if (!set) state.watchers.set(id, (set = new Set()));
  set.add(onChange);
  ensureListening();
  const ready = state.client!.then(() => undefined);
  const stop = () => {
    set.delete(onChange);
    if (set.size === 0) state.watchers.delete(id);
    if (state.watchers.size === 0 && state.client) {
      const c = state.client;
      state.client = undefined;
      c.then((client) => {
        client.removeAllListeners();
        return client.end();
      }).catch(() => {});
    }
  };
  return { ready, stop };
}

/** Whether the listener is connected and listening (for tests and /healthz-like probes). */
export async function listening(): Promise<boolean> {
  try {
    return state.client !== undefined && (await state.client) !== undefined;
  } catch {
    return false;
  }
}
