// The merchant cancels a withdrawal that is still pending (nothing signed yet): it fails with that reason.
import { and, eq } from "drizzle-orm";
import { withdrawals } from "@/db/schema";
import { db } from "@/lib/db/client";
import { markFailed } from "./transitions";

export const CANCELLED_REASON = "cancelled by the merchant";

/** True when it was pending and is now failed; false when it had moved on (or is not the merchant's). */
export async function cancelWithdrawal(merchantId: string, id: bigint): Promise<boolean> {
  const [row] = await db().select({ id: withdrawals.id }).from(withdrawals).where(and(eq(withdrawals.id, id), eq(withdrawals.merchantId, merchantId)));
  if (!row) return false;
  return markFailed(id, "pending", CANCELLED_REASON);
}
