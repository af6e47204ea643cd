// Which error shape a path answers in (API.md "Errors"): the native envelope, or a seed dialect's
// own shape where the seed document's clients read errors differently. One table, by path, so the
// wrapper, the catch-all 404s, the server hooks, idempotent replays and the OpenAPI document agree.
export type ErrorDialect = "native" | "seed001" | "seed002";

/** Path prefixes (whole segments) of the seed dialects whose documents define their own error shape. */
const DIALECT_PATHS: readonly (readonly [string, ErrorDialect])[] = [
  // seed 001 (API.md §3): {"error": "<message>", "code", "param"}
  ["/v1/address", "seed001"],
  ["/v1/income", "seed001"],
  ["/v1/deposit", "seed001"],
  ["/v1/withdrawal", "seed001"],
  ["/v1/balance", "seed001"],
  ["/v1/system/sync", "seed001"],
  ["/v1/resolve", "seed001"],
  // seed 002: {"status": "error", "message", "code"}
  ["/v2", "seed002"],
];

/** The error dialect of a request path (or an endpoint's path template). */
export function dialectOf(pathname: string): ErrorDialect {
  for (const [prefix, dialect] of DIALECT_PATHS) {
    if (pathname === prefix || pathname.startsWith(`${prefix}/`)) return dialect;
  }
  return "native";
}
