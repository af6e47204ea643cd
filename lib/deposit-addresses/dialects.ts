// The seed 000 and 002 views of a deposit address, and seed 002's request signature.
import { createHmac, timingSafeEqual } from "node:crypto";
import { eq } from "drizzle-orm";
import { merchants } from "@/db/schema";
import type { Principal } from "@/lib/api/auth";
import { errors } from "@/lib/api/errors";
import { config } from "@/lib/config";
import { assetSpec } from "@/lib/deposits/assets";
import { V2_NETWORK_LABEL } from "@/lib/currencies/resolve";
import { db } from "@/lib/db/client";
import { formatUnits } from "@/lib/money/units";
import type { DepositAddressRow } from "./create";

/** A QR image of the address, served without auth (the id is unguessable; the address is public anyway). */
export function qrCodeUrl(row: DepositAddressRow): string {
  return `${config().publicUrl}/qr/${row.id}`;
}

/** "Y-m-d H:i:s" in UTC (seed 002) */
function ymdHis(d: Date): string {
  return d.toISOString().slice(0, 19).replace("T", " ");
}

export function serializeV2(row: DepositAddressRow, totals: { amount: bigint; count: number } | undefined) {
  const spec = assetSpec(row.network, row.currency);
  const decimals = spec?.decimals ?? 0;
  const amount = (v: bigint | null) => (v === null ? null : formatUnits(v, decimals));
  return {
    uuid: row.id,
    client_id: row.clientInfo?.client_id ?? null,
    currency: (spec?.asset ?? row.currency).toLowerCase(),
    network: V2_NETWORK_LABEL[row.network] ?? row.network,
    currency_to: row.currencyTo,
    address_title: row.title ?? "",
    address: row.address,
    memo: null,
    callback_url: row.callbackUrl,
    created_at: ymdHis(row.createdAt),
    min_amount: amount(row.minAmount),
    max_amount: amount(row.maxAmount),
    total_received_amount: totals && totals.count > 0 ? amount(totals.amount) : null,
    total_received_deposits: totals && totals.count > 0 ? totals.count : null,
  };
}

/** The seed-002 routes' verifier (handle's `verify`): runs before validation and before any Idempotency-Key replay. */
export async function signedByMerchant(r: { req: Request; principal: Principal; rawBody: string }): Promise<void> {
  if (r.principal.kind !== "key") throw errors.authentication("You did not provide an API key.", "missing_api_key");
  await verifyRequestSignature(r.principal.merchantId, r.req.headers, r.rawBody);
}

/** When the merchant has set a signing secret, `Signature` must be hex(HMAC-SHA256(secret, raw body)). */
export async function verifyRequestSignature(merchantId: string, headers: Headers, rawBody: string): Promise<void> {
  const [m] = await db().select({ secret: merchants.requestSigningSecret }).from(merchants).where(eq(merchants.id, merchantId));
  if (!m?.secret) return;
  const given = headers.get("signature")?.trim().toLowerCase() ?? "";
  const expected = createHmac("sha256", m.secret).update(rawBody).digest("hex");
  const ok = given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected));
  if (!ok) throw errors.authentication("Missing or invalid Signature header: send hex(HMAC-SHA256(your signing secret, raw body)).", "invalid_signature");
}
