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
