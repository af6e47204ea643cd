// GET /v1/deposit/history – a user's deposits in one currency (seed 001)
import { handle, methods } from "@/lib/api/route";
import { historyOfUser } from "@/lib/deposit-addresses/queries";
import { ownerOf } from "@/lib/deposit-addresses/schemas";
import { depositHistory } from "./history.types";

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  GET: handle(depositHistory, async ({ principal, query }) => ({
    body: { incomes: await historyOfUser(ownerOf(principal), { userId: query.user_id, currency: query.currency, limit: query.limit, offset: query.offset, sortOrder: query.sort_order }) },
  })),
});
