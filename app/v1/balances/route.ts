// GET /v1/balances – the merchant's ledger accounts per network and asset
import { handle, methods } from "@/lib/api/route";
import { ownerOf } from "@/lib/deposit-addresses/schemas";
import { balances } from "@/lib/withdrawals/balance";
import { listBalances } from "./balances.types";

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  GET: handle(listBalances, async ({ principal }) => ({ body: { object: "list" as const, data: await balances(ownerOf(principal)) } })),
});
