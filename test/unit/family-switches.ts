// Finds code outside lib/chains that decides something by comparing a chain family's name
// (DOMAIN.md "Chain families and the worker": nothing outside the chain folders switches on a
// family name; ask lib/chains/registry instead). Used by family-conventions.test.ts.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

const NAMES = "evm|tron|solana|ton|bitcoin|utxo|litecoin";

/** Each pattern is one way code has switched on a family name. */
export const FAMILY_SWITCH_PATTERNS: readonly RegExp[] = [
  new RegExp(`\\bfamily\\s*[!=]==?\\s*["'\`](?:${NAMES})["'\`]`), // c.family === "tron"
  new RegExp(`["'\`](?:${NAMES})["'\`]\\s*[!=]==?\\s*[\\w.?!]*\\bfamily\\b`), // "evm" === c.family
  new RegExp(`\\bcase\\s+["'\`](?:${NAMES})["'\`]\\s*:`), // switch (family) { case "tron": … }
  /\bisEvmLike\b/, // the EVM-or-Tron test (lib/chains/evm/watcher)
];

const SCANNED = ["app", "lib", "components", "workers"];
const EXEMPT_DIR = path.join("lib", "chains") + path.sep;

function* sources(root: string, dir: string): Generator<string> {
  let entries;
  try {
    entries = readdirSync(path.join(root, dir), { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== "node_modules" && !e.name.startsWith(".")) yield* sources(root, rel);
    } else if (/\.(ts|tsx)$/.test(e.name) && !e.name.endsWith(".d.ts")) yield rel;
  }
}

export type FamilySwitch = { file: string; line: number; text: string };

/** Every line outside lib/chains (in app, lib, components, workers) that compares a family name. */
export function familySwitches(root: string): FamilySwitch[] {
  const out: FamilySwitch[] = [];
  for (const top of SCANNED) {
    for (const file of sources(root, top)) {
      if ((file + path.sep).startsWith(EXEMPT_DIR) || file.startsWith(EXEMPT_DIR)) continue;
      const lines = readFileSync(path.join(root, file), "utf8").split("\n");
      lines.forEach((text, i) => {
        if (FAMILY_SWITCH_PATTERNS.some((p) => p.test(text))) out.push({ file: file.split(path.sep).join("/"), line: i + 1, text: text.trim() });
      });
    }
  }
  return out;
}
