// Destinations that would burn or strand funds (API.md §3, DOMAIN.md "Ledger"): withdrawals,
// refunds, session destinations and settlement addresses never go to the zero (or a well-known
// burn) address, to a token contract or mint this instance knows, to the instance's own hot
// wallets or to any receiver it watches (funds sent there are credited to someone's deposit, not
// paid out). Each refusal is a 400 naming the field.
import { and, eq } from "drizzle-orm";
import { receivers } from "@/db/schema";
import { errors } from "@/lib/api/errors";
import { chainFamily, findFamily } from "@/lib/chains/registry";
import { config } from "@/lib/config";
import { NETWORKS } from "@/lib/config/networks";
import { db } from "@/lib/db/client";
import type { AddressFamily } from "./index";

/** The form two spellings of one account compare equal in (EVM and Tron: lower-case 20-byte hex). */
function key(family: AddressFamily, address: string): string {
  return chainFamily(family).addresses.key(address);
}

let contractsCache: Map<AddressFamily, Set<string>> | undefined;
/** Token contracts and mints of every network this instance knows (catalogue and configured, both modes). */
function knownContracts(): Map<AddressFamily, Set<string>> {
  if (contractsCache) return contractsCache;
  const out = new Map<AddressFamily, Set<string>>();
  const add = (family: string, contract: string | null | undefined) => {
    const f = findFamily(family);
    if (!contract || !f) return;
    let set = out.get(f.id);
    if (!set) out.set(f.id, set = new Set());
    try {
      set.add(key(f.id, contract));
    } catch { /* a catalogue entry of another form */ }
  };
  for (const n of NETWORKS) for (const a of n.assets) add(n.family, a.contract);
  for (const c of config().networks) for (const contract of Object.values(c.assets)) add(c.family, contract);
  return (contractsCache = out);
}

/** Why funds must not be sent to `address` (canonical form of `family`; on chain `chainKey` when given), or null. */
export async function destinationProblem(family: AddressFamily, address: string, chainKey?: string): Promise<string | null> {
  const k = key(family, address);
  if (chainFamily(family).addresses.burn.some((b) => key(family, b) === k)) return "it is a burn address: funds sent there are lost";
  if (knownContracts().get(family)?.has(k)) return "it is a token contract or mint, not a wallet: funds sent there are lost";
  // a family settling directly to the merchant's wallet has no hot wallet (Solana)
  const hot = await chainFamily(family).hotWallet(chainKey);
  if (hot && key(family, hot) === k) return "it is this instance's own hot wallet";
  const [r] = await db().select({ id: receivers.id }).from(receivers)
    .where(and(eq(receivers.family, family), eq(receivers.address, address))).limit(1);
  if (r) return "it is a deposit address of this instance: funds sent there are credited as a deposit, not paid out";
  return null;
}

/** Throws a 400 naming `param` when `address` is not a safe destination. */
export async function assertDestination(family: AddressFamily, address: string, param: string, chainKey?: string): Promise<void> {
  const problem = await destinationProblem(family, address, chainKey);
  if (problem) throw errors.validation(`${param} ${address} cannot receive funds: ${problem}.`, param, "destination_invalid");
}
