// A checkout row as the session object of API.md §1: the one place base units become decimals
// for sessions (via lib/money/units). The payment's progress (paidUnits, remainingUnits,
// paymentMethod.source) comes from the session's deposits, which callers load with
// loadSessionDeposits — one query for any number of sessions.
import { and, asc, eq, inArray, ne, sql } from "drizzle-orm";
import type { z } from "zod";
import { deposits, settlementGroups } from "@/db/schema";
import type { CheckoutRow } from "@/lib/checkout/state-machine";
import { familyOf } from "@/lib/chains/registry";
import { config } from "@/lib/config";
import { isPoolDb, preparedQuery } from "@/lib/db/prepared";
import type { Executor } from "@/lib/events/emit";
import { formatUnits } from "@/lib/money/units";
import { countingDecimals, quoteDue, summarizePayment } from "@/lib/checkout/payment-summary";
import { assetSpec } from "@/lib/deposits/assets";
import type { publicSessionSchema, sessionSchema } from "./schemas";

export type SessionView = z.input<typeof sessionSchema>;
export type PublicSessionView = z.input<typeof publicSessionSchema>;

/** The deposit columns a session object shows. */
export type SessionDeposit = Pick<typeof deposits.$inferSelect,
  "id" | "checkoutId" | "network" | "chainId" | "txHash" | "fromAddress" | "tokenAddress" | "assetCode" | "amount" | "status" | "late">;

/** The settlement group columns a session object shows (deliveries). */
export type SessionGroup = Pick<typeof settlementGroups.$inferSelect,
  "checkoutId" | "network" | "chainId" | "assetCode" | "tokenAddress" | "status" | "deliveredUnits" | "txHash">;

const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";
const unix = (d: Date) => Math.floor(d.getTime() / 1000);

/**
 * The non-reverted deposits of each session, oldest first (in the order they were seen, then
 * on-chain order), in one query. Sessions without deposits map to [].
 */
const depositColumns = {
  id: deposits.id, late: deposits.late, checkoutId: deposits.checkoutId, network: deposits.network, chainId: deposits.chainId, txHash: deposits.txHash,
  fromAddress: deposits.fromAddress, tokenAddress: deposits.tokenAddress, assetCode: deposits.assetCode,
  amount: deposits.amount, status: deposits.status,
};
const depositOrder = [asc(deposits.createdAt), asc(deposits.blockNumber), asc(deposits.logIndex)];
// one session's deposits (every retrieve): a prepared statement
const depositsOfOne = preparedQuery((db) => db.select(depositColumns).from(deposits)
  .where(and(eq(deposits.checkoutId, sql.placeholder("id")), ne(deposits.status, "reverted"))).orderBy(...depositOrder)
  .prepare("session_deposits"));

export async function loadSessionDeposits(exec: Executor, checkoutIds: readonly string[]): Promise<Map<string, SessionDeposit[]>> {
  const out = new Map<string, SessionDeposit[]>(checkoutIds.map((id) => [id, []]));
  if (checkoutIds.length === 0) return out;
  const rows = checkoutIds.length === 1 && isPoolDb(exec)
    ? await depositsOfOne().execute({ id: checkoutIds[0] })
    : await exec.select(depositColumns).from(deposits)
      .where(and(inArray(deposits.checkoutId, [...checkoutIds]), ne(deposits.status, "reverted"))).orderBy(...depositOrder);
  for (const r of rows) if (r.checkoutId) out.get(r.checkoutId)?.push(r);
  return out;
}

const groupColumns = {
  checkoutId: settlementGroups.checkoutId, network: settlementGroups.network, chainId: settlementGroups.chainId, assetCode: settlementGroups.assetCode,
  tokenAddress: settlementGroups.tokenAddress, status: settlementGroups.status, deliveredUnits: settlementGroups.deliveredUnits, txHash: settlementGroups.txHash,
};

/** The settlement groups of the finished ones among `rows` (only succeeded and bounced checkouts have deliveries), oldest first. */
export async function loadSessionGroups(exec: Executor, rows: readonly Pick<CheckoutRow, "id" | "status">[]): Promise<Map<string, SessionGroup[]>> {
  const ids = rows.filter((r) => r.status === "succeeded" || r.status === "bounced").map((r) => r.id);
  const out = new Map<string, SessionGroup[]>(ids.map((id) => [id, []]));
  if (ids.length === 0) return out;
  const found = await exec.select(groupColumns).from(settlementGroups)
    .where(inArray(settlementGroups.checkoutId, ids)).orderBy(asc(settlementGroups.createdAt), asc(settlementGroups.id));
  for (const g of found) out.get(g.checkoutId)?.push(g);
  return out;
}

type DeliveryView = NonNullable<SessionView["deliveries"]>[number];

/** One group as API.md's delivery: the chain and token it settled on, what arrived there. */
export function deliveryOf(g: SessionGroup): DeliveryView {
  const asset = assetSpec(g.network, g.assetCode);
  return {
    txHash: g.txHash,
    receivedUnits: asset ? formatUnits(g.deliveredUnits, asset.decimals) : g.deliveredUnits.toString(),
    chainId: g.chainId,
    chainName: g.network,
    tokenAddress: g.tokenAddress,
    tokenSymbol: asset?.asset ?? g.assetCode,
    status: g.status,
  };
}

type Source = NonNullable<NonNullable<SessionView["paymentMethod"]>["source"]>;

/**
 * Every deposit of the checkout as a source (reverted ones are gone), the first being `source`:
 * a counting transfer names the payer better than, say, dust of a native coin someone sent first.
 */
function sources(row: CheckoutRow, list: readonly SessionDeposit[]): Source[] {
  const live = list.filter((x) => x.status !== "reverted");
  const first = live.find((x) => countingDecimals(row, x) !== null) ?? live[0];
  if (!first) return [];
  return [first, ...live.filter((x) => x !== first)].map(asSource);
}

function asSource(d: SessionDeposit): Source {
  const asset = assetSpec(d.network, d.assetCode);
  return {
    address: d.fromAddress,
    chainId: d.chainId,
    chainName: d.network,
    tokenAddress: d.tokenAddress ?? ZERO_ADDRESS,
    tokenSymbol: asset?.asset ?? d.assetCode,
    sentUnits: asset ? formatUnits(d.amount, asset.decimals) : d.amount.toString(),
    txHash: d.txHash,
  };
}

type QuoteView = NonNullable<NonNullable<SessionView["paymentMethod"]>["quote"]>;

/** The session's quote in a coin (type bitcoin), with what remains to send in it once the deposits are known. */
function quoteView(row: CheckoutRow, list: readonly SessionDeposit[] | undefined): QuoteView | null {
  if (!row.quoteNetwork || !row.quoteAsset || row.quoteUnits === null || !row.quoteRate || !row.quoteFetchedAt || !row.quoteExpiresAt) return null;
  const asset = assetSpec(row.quoteNetwork, row.quoteAsset);
  if (!asset) return null;
  const remaining = list ? quoteDue(row, summarizePayment(row, 0, list)) : row.quoteUnits;
  return {
    network: row.quoteNetwork, asset: asset.asset,
    amountUnits: formatUnits(row.quoteUnits, asset.decimals), remainingUnits: formatUnits(remaining, asset.decimals),
    rate: row.quoteRate, currency: row.quoteCurrency ?? "USD", source: row.quoteSource ?? "",
    fetchedAt: unix(row.quoteFetchedAt), expiresAt: unix(row.quoteExpiresAt),
  };
}

function paymentMethod(row: CheckoutRow, list: readonly SessionDeposit[] | undefined): SessionView["paymentMethod"] {
  if (!row.paymentMethodType || !row.paymentMethodChosenAt) return null;
  const type = row.paymentMethodType as "evm" | "tron" | "solana" | "ton" | "bitcoin";
  const all = list ? sources(row, list) : [];
  // a payment (seed 004) has no quote of this kind: it is priced in its deposit currency
  const quote = row.kind === "session" ? quoteView(row, list) : null;
  return {
    type,
    ...(row.paymentMethodReceiverAddress ? { receiverAddress: row.paymentMethodReceiverAddress } : {}),
    ...(quote ? { quote } : {}),
    createdAt: unix(row.paymentMethodChosenAt),
    ...(all.length ? { source: all[0], sources: all } : {}),
  };
}

/** paidUnits / remainingUnits (/ overpaidUnits) once a method is chosen and the deposits are known. */
function progress(row: CheckoutRow, list: readonly SessionDeposit[] | undefined) {
  if (!row.paymentMethodType || !list) return {};
  // tolerance only decides when a payment is enough; what is paid and remains is exact
  const p = summarizePayment(row, 0, list);
  return {
    paidUnits: formatUnits(p.paidUnits, row.tokenDecimals),
    remainingUnits: formatUnits(p.remainingUnits, row.tokenDecimals),
    ...(p.overpaidUnits > 0n ? { overpaidUnits: formatUnits(p.overpaidUnits, row.tokenDecimals) } : {}),
  };
}

/**
 * Full view (API key). Key order follows API.md. Pass the session's deposits (loadSessionDeposits)
 * for the payment's progress; without them paidUnits, remainingUnits and source are left out
 * rather than guessed.
 */
export function serializeSession(row: CheckoutRow, list?: readonly SessionDeposit[], groups?: readonly SessionGroup[]): SessionView {
  const deliveries = row.status === "succeeded" || row.status === "bounced" ? (groups ?? []).map(deliveryOf) : [];
  return {
    sessionId: row.id,
    status: row.status,
    destination: {
      type: familyOf(row.network).id,
      address: row.destinationAddress,
      chainId: row.chainId,
      chainName: row.network,
      tokenAddress: row.tokenAddress,
      tokenSymbol: row.tokenSymbol,
      amountUnits: formatUnits(row.amountUnits, row.tokenDecimals),
      ...(deliveries.length ? { delivery: deliveries[0] } : {}),
    },
    ...(deliveries.length ? { deliveries } : {}),
    exception: row.exception ?? null,
    display: { title: row.displayTitle, verb: row.displayVerb },
    paymentMethod: paymentMethod(row, list),
    ...progress(row, list),
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
export function serializePublicSession(row: CheckoutRow, list?: readonly SessionDeposit[], groups?: readonly SessionGroup[]): PublicSessionView {
  const { metadata: _m, clientSecret: _s, ...rest } = serializeSession(row, list, groups);
  return rest;
}

/** A session's view with its deposits loaded (full with a key, public otherwise). */
export async function sessionView(exec: Executor, row: CheckoutRow, view: "full"): Promise<SessionView>;
export async function sessionView(exec: Executor, row: CheckoutRow, view: "public"): Promise<PublicSessionView>;
export async function sessionView(exec: Executor, row: CheckoutRow, view: "full" | "public"): Promise<SessionView | PublicSessionView>;
export async function sessionView(exec: Executor, row: CheckoutRow, view: "full" | "public") {
  const [byId, groups] = await Promise.all([loadSessionDeposits(exec, [row.id]), loadSessionGroups(exec, [row])]);
  const list = byId.get(row.id);
  const g = groups.get(row.id);
  return view === "full" ? serializeSession(row, list, g) : serializePublicSession(row, list, g);
}

/** Full views of many sessions with one deposits query (no N+1). */
export async function sessionViews(exec: Executor, rows: readonly CheckoutRow[]): Promise<SessionView[]> {
  const [byId, groups] = await Promise.all([loadSessionDeposits(exec, rows.map((r) => r.id)), loadSessionGroups(exec, rows)]);
  return rows.map((r) => serializeSession(r, byId.get(r.id), groups.get(r.id)));
}
