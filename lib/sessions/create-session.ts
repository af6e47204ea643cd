// Creating a checkout session (API.md §1): resolve the destination against this instance's
// enabled networks and assets, convert the amount to base units, store with status
// requires_payment_method.
import { randomUUID } from "node:crypto";
import { getAddress } from "viem";
import { checkouts } from "@/db/schema";
import { errors } from "@/lib/api/errors";
import type { MerchantDefaults } from "@/lib/api-keys/keys";
import { enabledEvmChain, enabledEvmChains, evmAsset, evmAssets } from "@/lib/checkout/evm-assets";
import type { CheckoutRow } from "@/lib/checkout/state-machine";
import { rowInsert, type RowInsert } from "@/lib/db/row-insert";
import { AmountError, parseUnits } from "@/lib/money/units";

export type Scope = { merchantId: string; livemode: boolean };

/** Already shape-checked by the endpoint's zod schema (addresses, amount format, limits). */
export type CreateSessionInput = {
  destination: { type: "evm"; address: string; chainId: number; tokenAddress: string; amountUnits: string };
  display?: { title: string; verb: string };
  refundAddress?: string | null;
  metadata?: Record<string, string> | null;
  expiresInSeconds?: number;
  successUrl?: string;
  cancelUrl?: string;
};

const ZERO_ADDRESS = /^0x0{40}$/;

function resolveDestination(livemode: boolean, d: CreateSessionInput["destination"]) {
  const chain = enabledEvmChain(livemode, d.chainId);
  if (!chain) {
    const ids = enabledEvmChains(livemode).map((c) => `${c.chainId} (${c.network})`).join(", ") || "none";
    throw errors.validation(
      `Chain ${d.chainId} is not an enabled EVM network in ${livemode ? "live" : "test"} mode. Enabled: ${ids}.`,
      "destination.chainId", "chain_not_supported",
    );
  }
  const asset = evmAsset(chain, d.tokenAddress);
  if (!asset) {
    const known = evmAssets(chain).map((a) => `${a.symbol} ${a.address}`).join(", ") || "none";
    throw errors.validation(
      `Token ${d.tokenAddress} is not accepted on ${chain.network} (chain ${d.chainId}). Accepted: ${known}.`,
      "destination.tokenAddress", "token_not_supported",
    );
  }
  let amount: bigint;
  try {
    amount = parseUnits(d.amountUnits, asset.decimals);
  } catch (e) {
    if (!(e instanceof AmountError)) throw e;
    const why = e.reason === "precision" ? `${asset.symbol} has ${asset.decimals} decimals` : e.message;
    throw errors.validation(`Invalid destination.amountUnits "${d.amountUnits}": ${why}.`, "destination.amountUnits", "amount_invalid");
  }
  if (amount <= 0n) throw errors.validation("destination.amountUnits must be greater than 0.", "destination.amountUnits", "amount_invalid");
  if (ZERO_ADDRESS.test(d.address)) {
    throw errors.validation("destination.address must not be the zero address.", "destination.address", "address_invalid");
  }
  return { chain, asset, amount };
}

/**
 * The new session's row, computed in full here (id, timestamps and the merchant's defaults
 * included), and the one INSERT that stores it: the route answers from the row and commits the
 * insert with its Idempotency-Key in a single statement. Times come from this process's clock;
 * expiresAt − createdAt is exactly expiresIn in unix seconds.
 */
export function planSession(scope: Scope & { merchant: MerchantDefaults }, input: CreateSessionInput): { row: CheckoutRow; insert: RowInsert } {
  const { chain, asset, amount } = resolveDestination(scope.livemode, input.destination);
  const now = new Date();
  const expiresIn = input.expiresInSeconds ?? scope.merchant.defaultExpirySeconds;
  const row: CheckoutRow = {
    id: randomUUID(),
    merchantId: scope.merchantId,
    livemode: scope.livemode,
    kind: "session",
    status: "requires_payment_method",
    network: chain.network,
    chainId: input.destination.chainId,
    tokenAddress: asset.address,
    tokenSymbol: asset.symbol,
    tokenDecimals: asset.decimals,
    amountUnits: amount,
    destinationAddress: getAddress(input.destination.address),
    // without a title the hosted page names the merchant
    displayTitle: input.display?.title ?? scope.merchant.name,
    displayVerb: input.display?.verb ?? "Pay",
    refundAddress: input.refundAddress ? getAddress(input.refundAddress) : null,
    metadata: input.metadata ?? null,
    // a v4 UUID (122 random bits), the seed-003 format for client secrets
    clientSecret: randomUUID(),
    successUrl: input.successUrl ?? null,
    cancelUrl: input.cancelUrl ?? null,
    expiresAt: new Date(now.getTime() + expiresIn * 1000),
    createdAt: now,
    updatedAt: now,
    paymentMethodType: null,
    paymentMethodChainId: null,
    paymentMethodTokenAddress: null,
    paymentMethodReceiverAddress: null,
    paymentMethodChosenAt: null,
    deliveryTxHash: null,
    deliveryReceivedUnits: null, exception: null, acceptedAt: null,
    quoteNetwork: null, quoteAsset: null, quoteUnits: null, quoteRate: null, quoteCurrency: null, quoteSource: null,
    quoteFetchedAt: null, quoteExpiresAt: null,
  };
  return { row, insert: rowInsert(checkouts, row) };
}
