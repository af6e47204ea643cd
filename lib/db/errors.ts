// PostgreSQL's error fields (SQLSTATE code, constraint) from whatever reached us: drizzle wraps the
// driver's error in a DrizzleQueryError whose `cause` is the pg error.
export type PgError = { code: string; constraint?: string };

export function pgError(e: unknown): PgError | null {
  for (let cur = e, depth = 0; cur && typeof cur === "object" && depth < 4; cur = (cur as { cause?: unknown }).cause, depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return { code, constraint: (cur as { constraint?: string }).constraint };
  }
  return null;
}

export const UNIQUE_VIOLATION = "23505";
export const LOCK_NOT_AVAILABLE = "55P03";

// The server is restarting, failing over or out of connections, or cannot be reached: errors that
// end by themselves. 08: connection exceptions; 57P01–57P03: terminated by an administrator, crash
// of another backend, "the database system is starting up / shutting down"; 53300: too many connections.
const TRANSIENT_CODES = new Set(["57P01", "57P02", "57P03", "53300"]);
const SOCKET_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENOTFOUND", "EAI_AGAIN"]);

/** Whether an error is the database being away for a while (worth waiting out), not a fault of the query. */
export function transientDbError(e: unknown): boolean {
  const pg = pgError(e);
  if (pg && (pg.code.startsWith("08") || TRANSIENT_CODES.has(pg.code))) return true;
  for (let cur = e, depth = 0; cur && typeof cur === "object" && depth < 4; cur = (cur as { cause?: unknown }).cause, depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === "string" && SOCKET_CODES.has(code)) return true;
    // a Unix socket whose server is not running (its socket file is gone)
    if (code === "ENOENT" && (cur as { syscall?: unknown }).syscall === "connect") return true;
    const message = (cur as { message?: unknown }).message;
    // node-postgres's own words for a socket that closed or never opened in time
    if (typeof message === "string" && /^Connection terminated|^timeout expired|^Connection ended unexpectedly/.test(message)) return true;
    // AggregateError (a host with several addresses, each refused)
    const errors = (cur as { errors?: unknown }).errors;
    if (Array.isArray(errors) && errors.length > 0 && errors.every((x) => transientDbError(x))) return true;
  }
  return false;
}
