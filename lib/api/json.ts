// Request bodies are parsed with JSON.parse, but a number literal that a double cannot hold
// exactly is refused: seed dialects send amounts as JSON numbers, and those must be read exactly
// from the request text (API.md "Amounts"). Amount fields then turn the number back into its
// shortest decimal text, which equals the literal whenever this check passed.
import { errors } from "./errors";
import { repairJson } from "./lenient-json";

/** Canonical (digits, exponent) form of a decimal literal, so "50", "5e1" and "50.0" compare equal. */
function canonical(text: string): string {
  const m = /^-?(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m) return text;
  const digits = (m[1] + (m[2] ?? "")).replace(/^0+/, "");
  if (digits === "") return "0";
  const exp = Number(m[3] ?? 0) - (m[2]?.length ?? 0);
  const trimmed = digits.replace(/0+$/, "");
  return `${text.startsWith("-") ? "-" : ""}${trimmed}e${exp + (digits.length - trimmed.length)}`;
}

const QUOTE = 34, BACKSLASH = 92, MINUS = 45, PLUS = 43, DOT = 46, ZERO = 48, NINE = 57, LOWER_E = 101, UPPER_E = 69;
const isDigit = (c: number) => c >= ZERO && c <= NINE;
const inNumber = (c: number) => isDigit(c) || c === MINUS || c === PLUS || c === DOT || c === LOWER_E || c === UPPER_E;

/** The number literals of a JSON text (strings skipped), in order. Runs on every request body. */
function numberLiterals(text: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      // jump to the closing quote: one not preceded by an odd number of backslashes
      let j = text.indexOf('"', i + 1);
      while (j !== -1) {
        let slashes = 0;
        while (text.charCodeAt(j - 1 - slashes) === BACKSLASH) slashes++;
        if (slashes % 2 === 0) break;
        j = text.indexOf('"', j + 1);
      }
      if (j === -1) return out; // unterminated: JSON.parse has refused it already
      i = j;
    } else if (c === MINUS || isDigit(c)) {
      let j = i + 1;
      while (j < text.length && inNumber(text.charCodeAt(j))) j++;
      out.push(text.slice(i, j));
      i = j - 1;
    }
  }
  return out;
}

export function parseJsonBody(text: string, opts: { lenient?: boolean } = {}): unknown {
  if (text.trim() === "") return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    const repaired = opts.lenient ? repairJson(text) : null;
    if (repaired === null) throw errors.validation("Request body is not valid JSON.", null, "invalid_json");
    return parseJsonBody(repaired);
  }
  for (const lit of numberLiterals(text)) {
    if (canonical(lit) !== canonical(String(Number(lit)))) {
      throw errors.validation(`The number ${lit} cannot be represented exactly; send it as a string.`, null, "number_not_exact");
    }
  }
  return value;
}
