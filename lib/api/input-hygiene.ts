// Text PostgreSQL cannot store (a NUL byte) or UTF-8 cannot encode (a lone surrogate) is refused
// at the door with a 400 naming the parameter: left in, it reaches a query and fails there as a 500.
import { errors } from "./errors";

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a string cannot be stored, or null when it can. */
function badText(s: string): string | null {
  if (s.includes("\u0000")) return "must not contain NUL bytes";
  if (LONE_SURROGATE.test(s)) return "must not contain unpaired surrogates";
  return null;
}

function refuse(where: string, param: string, why: string): never {
  throw errors.validation(`Invalid ${where} ${param}: ${why}.`, param, "parameter_invalid");
}

/** Every string (object keys included) of a parsed JSON body; the param is the value's dotted path. */
export function checkJsonText(value: unknown, path = ""): void {
  if (typeof value === "string") {
    const why = badText(value);
    if (why) refuse("parameter", path || "body", why);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => checkJsonText(v, path ? `${path}.${i}` : String(i)));
    return;
  }
  if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      const at = path ? `${path}.${k}` : k;
      const why = badText(k);
      if (why) refuse("parameter name", path || "body", why);
      checkJsonText(v, at);
    }
  }
}

/** Query parameters (names and values) and path parameters. */
export function checkUrlText(url: URL, params: Record<string, string>): void {
  for (const [k, v] of Object.entries(params)) {
    const why = badText(v);
    if (why) refuse("path parameter", k, why);
  }
  for (const [k, v] of url.searchParams) {
    const whyName = badText(k);
    if (whyName) refuse("query parameter name", k.replace(/\u0000/g, "\\u0000"), whyName);
    const why = badText(v);
    if (why) refuse("query parameter", k, why);
  }
}
