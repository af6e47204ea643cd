// Server actions are public endpoints: anyone can POST one with any serialized argument, not
// only the form the page renders. An action first checks it got a form whose fields PostgreSQL
// can store (no NUL bytes, no lone surrogates), and answers a form error otherwise — never a 500.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export const INVALID_FORM = "This form could not be read. Reload the page and try again.";

/** True when the argument is not a usable form submission. */
export function badForm(data: unknown): boolean {
  if (!(data instanceof FormData)) return true;
  for (const [k, v] of data) {
    for (const s of typeof v === "string" ? [k, v] : [k]) if (s.includes("\u0000") || LONE_SURROGATE.test(s)) return true;
  }
  return false;
}
