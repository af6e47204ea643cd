// A checkout row as the session object of API.md §1: the one place base units become decimals
// for sessions (via lib/money/units).
import type { z } from "zod";
import type { CheckoutRow } from "@/lib/checkout/state-machine";
import { config } from "@/lib/config";
import { formatUnits } from "@/lib/money/units";
import type { publicSessionSchema, sessionSchema } from "./schemas";

export type SessionView = z.input<typeof sessionSchema>;
export type PublicSessionView = z.input<typeof publicSessionSchema>;

const unix = (d: Date) => Math.floor(d.getTime() / 1000);

function paymentMethod(row: CheckoutRow): SessionView["paymentMethod"] {
  if (!row.paymentMethodType || !row.paymentMethodChosenAt) return null;
  const type = row.paymentMethodType as "evm" | "tron" | "solana";
  return {
    type,
    ...(row.paymentMethodReceiverAddress ? { receiverAddress: row.paymentMethodReceiverAddress } : {}),
    createdAt: unix(row.paymentMethodChosenAt),
  };
}

/** Full view (API key). Key order follows API.md. */
export function serializeSession(row: CheckoutRow): SessionView {
  const delivered = (row.status === "succeeded" || row.status === "bounced") && row.deliveryTxHash !== null;
  return {
    sessionId: row.id,
    status: row.status,
    destination: {
      type: "evm",
      address: row.destinationAddress,
      chainId: row.chainId,
      chainName: row.network,
      tokenAddress: row.tokenAddress,
      tokenSymbol: row.tokenSymbol,
      amountUnits: formatUnits(row.amountUnits, row.tokenDecimals),
      ...(delivered ? {
        delivery: {
          txHash: row.deliveryTxHash!,
          receivedUnits: formatUnits(row.deliveryReceivedUnits ?? 0n, row.tokenDecimals),
        },
      } : {}),
    },
    display: { title: row.displayTitle, verb: row.displayVerb },
    paymentMethod: paymentMethod(row),
    refundAddress: row.refundAddress,
    metadata: row.metadata ?? null,
    clientSecret: row.clientSecret,
    url: `${config().publicUrl}/checkout/${row.id}`,
    livemode: row.livemode,
    createdAt: unix(row.createdAt),
    expiresAt: unix(row.expiresAt),
  };
}

/** Public view (no key, or the clientSecret): without metadata and clientSecret. */
export function serializePublicSession(row: CheckoutRow): PublicSessionView {
  const { metadata: _m, clientSecret: _s, ...rest } = serializeSession(row);
  return rest;
}
