// GET /v1/balance – hot wallet or address balance with the withdrawal queue's totals (seed 001)
import { handle, methods } from "@/lib/api/route";
import { ownerOf } from "@/lib/deposit-addresses/schemas";
import { balance } from "@/lib/withdrawals/balance";
import { getBalance } from "./balance.types";

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  GET: handle(getBalance, async ({ principal, query }) => ({ body: await balance(ownerOf(principal), query.currency, query.address) })),
});
