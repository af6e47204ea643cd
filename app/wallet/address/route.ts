// POST /wallet/address – the customer's permanent deposit address (seed 000)
import { handle, methods } from "@/lib/api/route";
import { resolveCurrency } from "@/lib/currencies/resolve";
import { customerDepositAddress } from "@/lib/deposit-addresses/create";
import { qrCodeUrl } from "@/lib/deposit-addresses/dialects";
import { ownerOf } from "@/lib/deposit-addresses/schemas";
import { walletAddress } from "./address.types";

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  POST: handle(walletAddress, async ({ principal, body }) => {
    const owner = ownerOf(principal);
    const { row } = await customerDepositAddress(owner, body.customerId, resolveCurrency(body.currency, owner.livemode));
    return { body: { data: { address: row.address, qrCodeURL: qrCodeUrl(row), currency: row.currency, customerId: body.customerId } } };
  }),
});
