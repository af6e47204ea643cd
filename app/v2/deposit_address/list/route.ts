// POST /v2/deposit_address/list – deposit addresses, paged (seed 002)
import { handle, methods } from "@/lib/api/route";
import { listV2 } from "@/lib/deposit-addresses/list-v2";
import { signedByMerchant } from "@/lib/deposit-addresses/dialects";
import { ownerOf } from "@/lib/deposit-addresses/schemas";
import { listDepositAddressesV2 } from "./list.types";

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  POST: handle(listDepositAddressesV2, async ({ principal, body }) => {
    const owner = ownerOf(principal);
    return { body: { status: "success" as const, data: await listV2(owner, body) } };
  }, { verify: signedByMerchant }),
});
