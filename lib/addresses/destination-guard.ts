// Destinations that would burn or strand funds (API.md §3, DOMAIN.md "Ledger"): withdrawals,
// refunds, session destinations and settlement addresses never go to the zero (or a well-known
// burn) address, to a token contract or mint this instance knows, to the instance's own hot
// wallets or to any receiver it watches (funds sent there are credited to someone's deposit, not
// paid out). Each refusal is a 400 naming the field.
import { and, eq } from "drizzle-orm";
import { receivers } from "@/db/schema";
import { errors } from "@/lib/api/errors";
import { config } from "@/lib/config";
import { NETWORKS } from "@/lib/config/networks";
import { db } from "@/lib/db/client";
import { evmAddressAt, HOT_WALLET_INDEX, tronAddressAt } from "@/lib/keys/derive";
import { xpubOf } from "@/lib/keys/roots";
import { type AddressFamily, wireAddress } from "./index";

/** Addresses nobody can spend from, per family (compared in each family's canonical form, EVM by lower-case hex). */
const BURN: Record<AddressFamily, readonly string[]> = {
  evm: ["0x0000000000000000000000000000000000000000", "0x000000000000000000000000000000000000dead"],
  tron: ["T9yD14Nj9j7xAB4dbGeiX9h8unkKHxuWwb"], // base58check of 0x41 + 20 zero bytes
  solana: ["11111111111111111111111111111111", "1nc1nerator11111111111111111111111111111111"],
};

function key(family: AddressFamily, address: string): string {
  return family === "solana" ? address : wireAddress(address);
}

let contractsCache: Map<AddressFamily, Set<string>> | undefined;
/** Token contracts and mints of every network this instance knows (catalogue and configured, both modes). */
function knownContracts(): Map<AddressFamily, Set<string>> {
  if (contractsCache) return contractsCache;
  const out = new Map<AddressFamily, Set<string>>();
  const add = (family: string, contract: string | null | undefined) => {
    if (!contract || (family !== "evm" && family !== "tron" && family !== "solana")) return;
    let set = out.get(family);
    if (!set) out.set(family, set = new Set());
    try {
      set.add(key(family, contract));
    } catch { /* a catalogue entry of another form */ }
  };
  for (const n of NETWORKS) for (const a of n.assets) add(n.family, a.contract);
  for (const c of config().networks) for (const contract of Object.values(c.assets)) add(c.family, contract);
  return (contractsCache = out);
}

async function hotWallet(family: AddressFamily): Promise<string | null> {
  if (family === "solana") return null; // Solana settles directly to the merchant's wallet: no hot wallet
  const xpub = await xpubOf(family);
  if (!xpub) return null;
  return family === "evm" ? evmAddressAt(xpub, HOT_WALLET_INDEX) : tronAddressAt(xpub, HOT_WALLET_INDEX);
}

/** Why funds must not be sent to `address` (canonical form of `family`), or null. */
export async function destinationProblem(family: AddressFamily, address: string): Promise<string | null> {
  const k = key(family, address);
  if (BURN[family].some((b) => key(family, b) === k)) return "it is a burn address: funds sent there are lost";
  if (knownContracts().get(family)?.has(k)) return "it is a token contract or mint, not a wallet: funds sent there are lost";
  const hot = await hotWallet(family);
  if (hot && key(family, hot) === k) return "it is this instance's own hot wallet";
  const [r] = await db().select({ id: receivers.id }).from(receivers)
    .where(and(eq(receivers.family, family), eq(receivers.address, address))).limit(1);
  if (r) return "it is a deposit address of this instance: funds sent there are credited as a deposit, not paid out";
  return null;
}

/** Throws a 400 naming `param` when `address` is not a safe destination. */
export async function assertDestination(family: AddressFamily, address: string, param: string): Promise<void> {
  const problem = await destinationProblem(family, address);
  if (problem) throw errors.validation(`${param} ${address} cannot receive funds: ${problem}.`, param, "destination_invalid");
}
