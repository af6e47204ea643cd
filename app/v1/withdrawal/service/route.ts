// POST /v1/withdrawal/service – sweep a deposit address into the hot wallet (seed 001)
import { handle, methods } from "@/lib/api/route";
import { ownerOf } from "@/lib/deposit-addresses/schemas";
import { requestSweep } from "@/lib/withdrawals/request";
import { serviceWithdrawal } from "./service.types";

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  POST: handle(serviceWithdrawal, async ({ principal, body, log }) => {
    const row = await requestSweep(ownerOf(principal), body.from, body.currency);
    log.info({ withdrawalId: String(row.id) }, "sweep queued");
    return { body: { memo: row.memo! } };
  }),
});
