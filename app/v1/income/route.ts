// GET /v1/income – total income per deposit address of a user (seed 001)
import { handle, methods } from "@/lib/api/route";
import { incomeOfUser } from "@/lib/deposit-addresses/queries";
import { ownerOf } from "@/lib/deposit-addresses/schemas";
import { getIncome } from "./income.types";

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  GET: handle(getIncome, async ({ principal, query }) => ({ body: await incomeOfUser(ownerOf(principal), query.user_id) })),
});
