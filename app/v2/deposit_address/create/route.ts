// POST /v2/deposit_address/create – a permanent deposit address (seed 002)
import { errors } from "@/lib/api/errors";
import { handle, methods } from "@/lib/api/route";
import { resolvePair } from "@/lib/currencies/resolve";
import { createDepositAddress } from "@/lib/deposit-addresses/create";
import { valuationCurrency } from "@/lib/deposits/valuation";
import { depositMaxAmountOf } from "@/lib/merchants/wallet-settings";
import { serializeV2, signedByMerchant } from "@/lib/deposit-addresses/dialects";
import { ownerOf } from "@/lib/deposit-addresses/schemas";
import { AmountError, parseUnits } from "@/lib/money/units";
import { assertAllowedUrl } from "@/lib/webhooks/endpoints";
import { createDepositAddressV2 } from "./create.types";

function units(value: string | undefined, decimals: number, param: string): bigint | null {
  if (value === undefined) return null;
  try {
    return parseUnits(value, decimals);
  } catch (e) {
    if (e instanceof AmountError) throw errors.validation(`${param}: ${e.message}`, param);
    throw e;
  }
}

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  POST: handle(createDepositAddressV2, async ({ principal, body }) => {
    const owner = ownerOf(principal);
    // checked like webhook endpoints' URLs (and again at every delivery)
    const callbackUrl = body.callback_url || null;
    if (callbackUrl) await assertAllowedUrl(callbackUrl, owner.livemode, { param: "callback_url" });
    const currency = resolvePair(body.currency, body.network, owner.livemode);
    const decimals = currency.asset.decimals;
    const minAmount = units(body.min_amount, decimals, "min_amount") ?? units(currency.asset.minAmount, decimals, "min_amount");
    // none given: the merchant's setting (Settings → Deposit addresses; 100000 by default)
    const maxAmount = units(body.max_amount, decimals, "max_amount") ?? units(await depositMaxAmountOf(owner.merchantId), decimals, "max_amount");
    if (maxAmount !== null && minAmount !== null && maxAmount < minAmount) {
      throw body.max_amount === undefined
        ? errors.validation("min_amount is above your maximum deposit amount (Settings → Deposit addresses); send max_amount too.", "min_amount")
        : errors.validation("max_amount must not be below min_amount.", "max_amount");
    }
    const currencyTo = body.currency_to ? valuationCurrency(body.currency_to) : null;
    const info = body.client_info ?? null;
    const row = await createDepositAddress(owner, {
      kind: "v2", userId: info?.client_id ?? null, currency, title: body.address_title ?? null,
      callbackUrl, currencyTo, minAmount, maxAmount,
      clientInfo: info && { client_id: info.client_id ?? null, client_ip: info.client_ip ?? null, client_email: info.client_email ?? null },
    });
    const data = serializeV2(row, undefined);
    return { body: { status: "success" as const, data: row.callbackSecret ? { ...data, callback_secret: row.callbackSecret } : data } };
  }, { verify: signedByMerchant }),
});
