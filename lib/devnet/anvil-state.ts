// Anvil's state file, kept bounded: anvil's own dump (--state) holds every block ever mined
// (~1.7 KB each, ~140 MB a day at a block a second), so we dump through anvil_dumpState and keep
// only the newest blocks and their transactions. The accounts (the chain's current state) are whole.
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";

/** Blocks kept in the state file: enough for a restarted watcher to rescan its recent range. */
export const DEVNET_STATE_BLOCKS = 1_024;

type Dumped = { best_block_number?: number; blocks?: { header: { number: string } }[]; transactions?: { block_number?: number }[] };

/** The dump with only the newest `keep` blocks (and their transactions). */
export function trimState(state: Dumped, keep = DEVNET_STATE_BLOCKS): Dumped {
  const blocks = state.blocks ?? [];
  const numbers = blocks.map((b) => Number.parseInt(b.header.number, 16));
  const best = state.best_block_number ?? Math.max(0, ...numbers);
  const oldest = best - keep + 1;
  return {
    ...state,
    blocks: blocks.filter((_, i) => numbers[i]! >= oldest),
    transactions: (state.transactions ?? []).filter((t) => t.block_number === undefined || t.block_number >= oldest),
  };
}

/** Trims an existing state file in place (a file written by an older anvil run may hold every block). */
export function trimStateFile(file: string, keep = DEVNET_STATE_BLOCKS): void {
  if (!existsSync(file)) return;
  let state: Dumped;
  try {
    state = JSON.parse(readFileSync(file, "utf8")) as Dumped;
  } catch {
    return; // not ours to judge: anvil reports an unreadable state file itself
  }
  if ((state.blocks?.length ?? 0) <= keep) return;
  writeAtomically(file, JSON.stringify(trimState(state, keep)));
}

/** Writes anvil's current state (anvil_dumpState: gzipped JSON as hex) to file, trimmed. */
export async function dumpStateFile(rpcUrl: string, file: string, keep = DEVNET_STATE_BLOCKS): Promise<void> {
  const res = await fetch(rpcUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "anvil_dumpState", params: [] }),
    signal: AbortSignal.timeout(30_000),
  });
  const body = (await res.json()) as { result?: string; error?: { message: string } };
  if (typeof body.result !== "string") throw new Error(`anvil_dumpState: ${body.error?.message ?? "no result"}`);
  const state = JSON.parse(gunzipSync(Buffer.from(body.result.slice(2), "hex")).toString("utf8")) as Dumped;
  writeAtomically(file, JSON.stringify(trimState(state, keep)));
}

// a crash mid-write must not leave a truncated state file behind
function writeAtomically(file: string, text: string): void {
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file);
}
