// POST /v1/withdrawal/send – queue a hot-wallet payout (seed 001)
import { handle, methods } from "@/lib/api/route";
import { ownerOf } from "@/lib/deposit-addresses/schemas";
import { requestPayout } from "@/lib/withdrawals/request";
import { sendWithdrawal } from "./send.types";

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  POST: handle(sendWithdrawal, async ({ principal, body, log }) => {
    const row = await requestPayout(ownerOf(principal), body);
    log.info({ withdrawalId: String(row.id) }, "withdrawal queued");
    return { body: { ID: Number(row.id) } };
  }),
});
