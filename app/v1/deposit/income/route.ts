// GET /v1/deposit/income – one deposit by transaction hash (seed 001)
import { errors } from "@/lib/api/errors";
import { handle, methods } from "@/lib/api/route";
import { incomeByTxHash } from "@/lib/deposit-addresses/queries";
import { ownerOf } from "@/lib/deposit-addresses/schemas";
import { depositIncome } from "./income.types";

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  GET: handle(depositIncome, async ({ principal, query }) => {
    const found = await incomeByTxHash(ownerOf(principal), query.tx_hash);
    if (!found) throw errors.notFound("deposit", "tx_hash");
    return { body: found };
  }),
});
