// POST /v1/address/new – a new permanent deposit address (seed 001)
import { handle, methods } from "@/lib/api/route";
import { resolveCurrency } from "@/lib/currencies/resolve";
import { createDepositAddress } from "@/lib/deposit-addresses/create";
import { ownerOf } from "@/lib/deposit-addresses/schemas";
import { newAddress } from "./new.types";

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  POST: handle(newAddress, async ({ principal, body }) => {
    const owner = ownerOf(principal);
    const row = await createDepositAddress(owner, { kind: "new", userId: body.user_id, currency: resolveCurrency(body.currency, owner.livemode) });
    return { body: { address: row.address } };
  }),
});
