// POST /v1/withdrawal/service/jetton – sweep a TON deposit wallet's jettons into the hot wallet (seed 001)
import { handle, methods } from "@/lib/api/route";
import { requestJettonSweep } from "@/lib/chains/ton/service";
import { ownerOf } from "@/lib/deposit-addresses/schemas";
import { serviceWithdrawalJetton } from "./jetton.types";

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  POST: handle(serviceWithdrawalJetton, async ({ principal, body, log }) => {
    const row = await requestJettonSweep(ownerOf(principal), body.owner, body.jetton_master);
    log.info({ withdrawalId: String(row.id) }, "jetton sweep queued");
    return { body: { memo: row.memo! } };
  }),
});
