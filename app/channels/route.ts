// POST /channels – a customer's deposit channel for a currency (seed 000)
import { handle, methods } from "@/lib/api/route";
import { resolveCurrency } from "@/lib/currencies/resolve";
import { customerDepositAddress } from "@/lib/deposit-addresses/create";
import { qrCodeUrl } from "@/lib/deposit-addresses/dialects";
import { ownerOf } from "@/lib/deposit-addresses/schemas";
import { createChannel } from "./channels.types";

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  POST: handle(createChannel, async ({ principal, body }) => {
    const owner = ownerOf(principal);
    const { row } = await customerDepositAddress(owner, body.customerId, resolveCurrency(body.currency, owner.livemode));
    return { body: { data: { channelId: row.id, address: row.address, qrCodeURL: qrCodeUrl(row) } } };
  }),
});
