// Seed documents' examples are not always valid JSON: seed 002's create example misses a comma
// once its `//optional` notes are removed, seed 001's service example ends with a trailing comma.
// Clients copied from them send exactly that, so the seed-dialect endpoints accept these two
// slips (and nothing else): a missing comma between members on separate lines, and a trailing
// comma before } or ]. Strings are never touched.
/** The text with the two slips repaired, or null when there was nothing to repair. */
export function repairJson(text: string): string | null {
  let out = "";
  let changed = false;
  /** the last significant character emitted outside strings */
  let last = "";
  let sawNewline = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      // a value ended and a new member starts on a later line without a comma
      if (sawNewline && (last === '"' || last === "}" || last === "]" || /[0-9el]/.test(last))) {
        out += ",";
        changed = true;
      }
      let j = i + 1;
      for (; j < text.length && text[j] !== '"'; j++) if (text[j] === "\\") j++;
      out += text.slice(i, j + 1);
      i = j;
      last = '"';
      sawNewline = false;
      continue;
    }
    if (c === "\n") sawNewline = true;
    if (/\s/.test(c)) { out += c; continue; }
    if ((c === "}" || c === "]") && last === ",") {
      out = out.replace(/,(\s*)$/, "$1");
      changed = true;
    }
    out += c;
    last = c;
    sawNewline = false;
  }
  return changed ? out : null;
}
