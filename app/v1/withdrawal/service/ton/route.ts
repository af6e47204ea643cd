// POST /v1/withdrawal/service/ton – sweep a TON deposit wallet's TON into the hot wallet (seed 001)
import { handle, methods } from "@/lib/api/route";
import { requestTonSweep } from "@/lib/chains/ton/service";
import { ownerOf } from "@/lib/deposit-addresses/schemas";
import { serviceWithdrawalTon } from "./ton.types";

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  POST: handle(serviceWithdrawalTon, async ({ principal, body, log }) => {
    const row = await requestTonSweep(ownerOf(principal), body.from);
    log.info({ withdrawalId: String(row.id) }, "TON sweep queued");
    return { body: { memo: row.memo! } };
  }),
});
