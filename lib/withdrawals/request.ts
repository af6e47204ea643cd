// Queueing withdrawals (seed 001 withdrawal/send and withdrawal/service). The row is written
// here, before anything is signed; the worker's engine pays it. (user_id, query_id) is unique per
// merchant and mode: the same request again returns the same ID, a different one is a 409.
import { createHash, randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { getAddress, isAddress } from "viem";
import { depositAddresses, withdrawals } from "@/db/schema";
import { assertDestination } from "@/lib/addresses/destination-guard";
import { isAddressFamily } from "@/lib/addresses";
import { errors } from "@/lib/api/errors";
import { findFamily, sameFamily } from "@/lib/chains/registry";
import { resolveCurrency } from "@/lib/currencies/resolve";
import { db } from "@/lib/db/client";
import { isInsufficientBalance, merchantBalance } from "@/lib/ledger/accounts";
import { familyOf } from "./families";
import { paysWithdrawals } from "./tick";
import type { WithdrawalRow } from "./serialize";

type Owner = { merchantId: string; livemode: boolean };

export type PayoutRequest = {
  user_id: string;
  query_id: string;
  currency: string;
  /** integer base units */
  amount: string;
  destination: string;
  comment?: string;
  binary_comment?: string;
};

export async function requestPayout(owner: Owner, body: PayoutRequest): Promise<WithdrawalRow> {
  const currency = resolveCurrency(body.currency, owner.livemode);
  // a request nothing would ever pay would only hold the merchant's funds: refused, nothing written
  if (!paysWithdrawals(currency.chain)) {
    throw errors.validation(`Withdrawals of ${currency.code} (${currency.network.displayName}) are not available on this instance yet.`, "currency", "currency_not_supported");
  }
  const family = familyOf(currency.network.family);
  const destination = family.parseAddress(body.destination, currency.chain.key);
  if (!destination) {
    const problem = family.addressProblem(body.destination, currency.chain.key) ?? "not an address of this network";
    throw errors.validation(`destination '${body.destination}' is not a valid ${currency.network.displayName} address: ${problem}.`, "destination", "invalid_address");
  }
  if (isAddressFamily(currency.network.family)) await assertDestination(currency.network.family, destination, "destination", currency.chain.key);
  const amount = BigInt(body.amount);
  if (amount <= 0n) throw errors.validation("amount must be a positive integer of base units.", "amount");
  const problem = findFamily(currency.network.family)?.sender?.payoutProblem?.({
    native: currency.contract === null, amount, comment: body.comment, binaryComment: body.binary_comment,
  });
  if (problem) throw errors.validation(problem.message, problem.field);
  const requestHash = createHash("sha256").update(JSON.stringify([
    currency.code, amount.toString(), destination, body.comment ?? null, body.binary_comment ?? null,
  ])).digest("hex");
  // the insert reserves the amount out of the merchant's available balance (the ledger's trigger,
  // compare-and-set): short → nothing is queued
  let row: WithdrawalRow | undefined;
  try {
    [row] = await db().insert(withdrawals).values({
      ...owner, kind: "payout", userId: body.user_id, queryId: body.query_id, requestHash,
      network: currency.network.name, currency: currency.code, amount, destination,
      comment: body.comment ?? null, binaryComment: body.binary_comment ?? null,
    }).onConflictDoNothing().returning();
  } catch (e) {
    if (!isInsufficientBalance(e)) throw e;
    const { available } = await merchantBalance(owner, currency.network.name, currency.code);
    throw errors.unprocessable(
      `Insufficient balance: ${available} base units of ${currency.code} are available, the withdrawal needs ${amount}.`,
      "insufficient_balance", "amount",
    );
  }
  if (row) return row;
  const [existing] = await db().select().from(withdrawals).where(and(
    eq(withdrawals.merchantId, owner.merchantId), eq(withdrawals.livemode, owner.livemode), eq(withdrawals.kind, "payout"),
    eq(withdrawals.userId, body.user_id), eq(withdrawals.queryId, body.query_id),
  ));
  if (!existing) throw new Error("withdrawal insert conflicted but no row was found");
  if (existing.requestHash !== requestHash) {
    throw errors.conflict(`A withdrawal with user_id '${body.user_id}' and query_id '${body.query_id}' already exists with a different body.`, "withdrawal_query_conflict", "query_id");
  }
  return existing;
}

/** Sweep everything a deposit address of the merchant holds in `currency` to the hot wallet. */
export async function requestSweep(owner: Owner, from: string, currencyCode?: string): Promise<WithdrawalRow> {
  // stored checksummed: an EVM address may come in any case (Tron's base58check is case-sensitive, taken as given)
  const wanted = isAddress(from.trim()) ? getAddress(from.trim()) : from.trim();
  const [address] = await db().select().from(depositAddresses).where(and(
    eq(depositAddresses.merchantId, owner.merchantId), eq(depositAddresses.livemode, owner.livemode), eq(depositAddresses.address, wanted),
  )).limit(1);
  if (!address) throw errors.notFound("deposit address", "from");
  const currency = resolveCurrency(currencyCode ?? address.currency, owner.livemode);
  // the address's key signs the sweep: only a currency of the address's own family can be moved from it
  if (!sameFamily(address.network, currency.network.name)) {
    throw errors.validation(`${address.address} is a ${address.network} address; ${currency.code} is on ${currency.network.displayName}.`, "currency");
  }
  const hot = await familyOf(currency.network.family).hotWallet(currency.chain.key);
  const [row] = await db().insert(withdrawals).values({
    ...owner, kind: "sweep", network: currency.network.name, currency: currency.code, amount: null,
    fromAddress: address.address, destination: hot, memo: randomUUID(),
  }).returning();
  return row;
}
