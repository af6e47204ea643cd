// GET /v1/address/all – a user's deposit addresses (seed 001)
import { handle, methods } from "@/lib/api/route";
import { addressesOfUser } from "@/lib/deposit-addresses/queries";
import { ownerOf } from "@/lib/deposit-addresses/schemas";
import { allAddresses } from "./all.types";

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  GET: handle(allAddresses, async ({ principal, query }) => ({ body: { addresses: await addressesOfUser(ownerOf(principal), query.user_id) } })),
});
