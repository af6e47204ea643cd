// The hot wallet's address for processes without the mnemonic (web): key_roots' `ton:hot` row,
// recorded by whoever holds it (lib/keys/roots, FamilyKeys.hotWallet = ./keys tonHotWalletAt). Not in
// ./keys: lib/keys/roots imports the registry, which imports this family.
import { xpubOf } from "@/lib/keys/roots";
import { TON_HOT_ROOT } from "./keys";

/** The hot wallet's raw address as recorded in key_roots, or null before any process holding the mnemonic started. */
export function tonHotWallet(): Promise<string | null> {
  return xpubOf(TON_HOT_ROOT);
}
