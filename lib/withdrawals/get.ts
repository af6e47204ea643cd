// One withdrawal of the merchant (another merchant's id is simply not found), with the hash of
// the transaction paying it once signed.
import { and, desc, eq, inArray, ne } from "drizzle-orm";
import { outboundTxs, withdrawals } from "@/db/schema";
import { db } from "@/lib/db/client";
import type { WithdrawalRow } from "./serialize";

type Owner = { merchantId: string; livemode: boolean };

export async function getWithdrawal(owner: Owner, id: bigint): Promise<WithdrawalRow | null> {
  const [row] = await db().select().from(withdrawals)
    .where(and(eq(withdrawals.id, id), eq(withdrawals.merchantId, owner.merchantId), eq(withdrawals.livemode, owner.livemode)));
  if (!row || row.txHash) return row ?? null;
  const [tx] = await db().select({ hash: outboundTxs.txHash }).from(outboundTxs)
    .where(and(eq(outboundTxs.withdrawalId, id), inArray(outboundTxs.purpose, ["withdrawal", "sweep"]), ne(outboundTxs.status, "replaced")))
    .orderBy(desc(outboundTxs.createdAt)).limit(1);
  return { ...row, txHash: tx?.hash ?? null };
}
