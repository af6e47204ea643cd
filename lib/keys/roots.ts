// key_roots: the public derivation roots, written by whoever holds the mnemonic (launcher,
// worker), read by the web process.
import { eq } from "drizzle-orm";
import { keyRoots } from "@/db/schema";
import { db } from "@/lib/db/client";
import { chainFamilies } from "@/lib/chains/registry";
import { refillKeyPools } from "./pool";

export class KeyRootMismatchError extends Error {}

/** Records the mnemonic's roots; refuses a different mnemonic than the one addresses were handed out from. */
export async function ensureKeyRoots(mnemonic: string): Promise<void> {
  // one root per family that derives receivers of ours
  const wanted = chainFamilies().flatMap((f) => (f.keys ? [{ family: f.id, xpub: f.keys.publicRoot(mnemonic), path: f.keys.path }] : []));
  for (const root of wanted) {
    await db().insert(keyRoots).values(root).onConflictDoNothing();
    const [row] = await db().select().from(keyRoots).where(eq(keyRoots.family, root.family));
    if (row.xpub !== root.xpub) {
      throw new KeyRootMismatchError(
        `The configured mnemonic does not match the one this database's ${root.family} addresses were derived from. ` +
        "Refusing to start: funds on existing addresses would be unreachable.",
      );
    }
  }
  // hot wallets that are not an address of the root (TON's highload wallet): from the mnemonic just checked
  for (const f of chainFamilies()) {
    const hot = f.keys?.hotWallet?.(mnemonic);
    if (!hot) continue;
    const row = { family: `${f.id}:hot`, xpub: hot, path: f.keys!.path };
    await db().insert(keyRoots).values(row).onConflictDoUpdate({ target: keyRoots.family, set: { xpub: hot } });
    cache.set(row.family, hot);
  }
  // hardened families (Solana): addresses derived ahead for the web process
  await refillKeyPools(mnemonic);
}

const cache = new Map<string, string>();
/** The xpub of a family, or null when no process holding the mnemonic has started yet. */
export async function xpubOf(family: string): Promise<string | null> {
  const hit = cache.get(family);
  if (hit) return hit;
  const [row] = await db().select().from(keyRoots).where(eq(keyRoots.family, family));
  if (row) cache.set(family, row.xpub);
  return row?.xpub ?? null;
}
