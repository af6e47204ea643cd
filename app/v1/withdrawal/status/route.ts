// GET /v1/withdrawal/status – where a withdrawal stands (seed 001)
import { errors } from "@/lib/api/errors";
import { handle, methods } from "@/lib/api/route";
import { ownerOf } from "@/lib/deposit-addresses/schemas";
import { getWithdrawal } from "@/lib/withdrawals/get";
import { withdrawalStatus } from "./status.types";

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  GET: handle(withdrawalStatus, async ({ principal, query }) => {
    const w = await getWithdrawal(ownerOf(principal), BigInt(query.id));
    if (!w) throw errors.notFound("withdrawal", "id");
    return { body: { user_id: w.userId, query_id: w.queryId, status: w.status, tx_hash: w.txHash, reason: w.reason, memo: w.memo } };
  }),
});
