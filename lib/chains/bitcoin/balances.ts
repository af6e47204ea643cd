// What an address of ours holds on a UTXO chain: its outputs (deposits, and the change of our own
// transactions and the fee float paid to the hot wallet: utxo_outputs) that the node still counts as unspent.
// Nodes keep no per-address index by default (bcoin, Bitcoin and Litecoin Core alike), but every
// output paying one of our addresses is a deposit we recorded: each is asked of the node's UTXO
// set (gettxout, confirmed outputs only), so the answer is the chain's, not our records'. The
// node answers for its tip: `at` cannot pin an older height.
import { and, eq, inArray, isNull, ne } from "drizzle-orm";
import { deposits, utxoOutputs } from "@/db/schema";
import type { ChainConfig } from "@/lib/config";
import { db } from "@/lib/db/client";
import type { FamilyBalances } from "../family";
import { utxoRpc } from "./rpc";
import { MEMPOOL, toUnits } from "./watcher";

export const utxoBalances: FamilyBalances = {
  async balanceOf(chain: ChainConfig, token: string | null, owner: string): Promise<bigint> {
    if (token !== null) return 0n; // no tokens on these chains
    const rpc = utxoRpc(chain.rpcUrls[0]);
    const outputs = await db().selectDistinct({ txHash: deposits.txHash, vout: deposits.logIndex }).from(deposits).where(and(
      eq(deposits.network, chain.network), eq(deposits.livemode, chain.livemode), eq(deposits.toAddress, owner.toLowerCase()),
      ne(deposits.status, "reverted"), ne(deposits.blockHash, MEMPOOL),
    ));
    // the change of our own transactions (the hot wallet's outputs)
    const change = await db().select({ txHash: utxoOutputs.txid, vout: utxoOutputs.vout }).from(utxoOutputs).where(and(
      eq(utxoOutputs.network, chain.network), eq(utxoOutputs.livemode, chain.livemode), eq(utxoOutputs.address, owner.toLowerCase()),
      inArray(utxoOutputs.origin, ["change", "float"]), isNull(utxoOutputs.spentAt),
    ));
    let total = 0n;
    for (const o of [...outputs, ...change]) {
      const out = await rpc.call<{ value: number } | null>("gettxout", [o.txHash, o.vout, false]);
      if (out) total += toUnits(out.value);
    }
    return total;
  },
  async head(chain: ChainConfig): Promise<bigint> {
    return BigInt(await utxoRpc(chain.rpcUrls[0]).call<number>("getblockcount"));
  },
};
