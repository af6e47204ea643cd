// Choosing how to pay a session (API.md §1 paymentMethods). EVM: one receiver per session,
// valid on every EVM chain, allocated on the first choice; the first choice moves the session
// requires_payment_method → waiting_payment, a later one (still waiting_payment) replaces the
// method and keeps the receiver. Tron: one TRC-20 receiver per session (base58check, derived at
// m/44'/195'/0'/0/i), valid until the session expires; a USD-stablecoin session accepts USDT and
// USDC on Tron 1:1. TON: the same with a receiver of the session's own (wallet v4r2 from the key
// pool), paid with USDT on TON and forwarded to the merchant's TON settlement address. Solana: a payment request with a fresh reference key and the unsigned
// transaction for the payer's wallet (lib/chains/solana).
import { and, eq, sql } from "drizzle-orm";
import { checkouts, settlementAddresses } from "@/db/schema";
import { errors } from "@/lib/api/errors";
import { enabledEvmChain, enabledEvmChains, evmAsset, evmAssets, type EvmAsset } from "@/lib/checkout/evm-assets";
import { chooseMethod, paymentState } from "@/lib/checkout/evaluate";
import { retryOnConflict, type CheckoutRow, type TransitionChanges } from "@/lib/checkout/state-machine";
import { chainFamily, chainsOfFamily } from "@/lib/chains/registry";
import { chainFor, type ChainConfig } from "@/lib/config";
import { solanaAssetFor, solanaAssets, type SolanaAsset } from "@/lib/chains/solana/assets";
import { solanaConnection } from "@/lib/chains/solana/connection";
import { createSolanaRequest } from "@/lib/chains/solana/reference";
import { buildTransferTx, solanaPayUrl } from "@/lib/chains/solana/transfer-tx";
import { rescale } from "@/lib/money/units";
import { db } from "@/lib/db/client";
import type { Tx } from "@/lib/events/emit";
import { allocateReceiver, findCheckoutReceiver, watchUntilFor } from "@/lib/receivers/allocate";
import { tokenCounts } from "@/lib/checkout/payment-summary";
import { USD_STABLECOINS } from "@/lib/deposits/assets";
import { isSessionId, type Scope } from "./get-session";
import { assertReferenceRoom, takePaymentMethodChange } from "./payment-method-caps";
import { chooseQuoted, takesQuotedSessions } from "./choose-quoted";

/** Already shape-checked by the endpoint's zod schema; amounts are exact decimal strings. */
export type PaymentMethodInput =
  | { type: "evm"; chainId?: number; tokenAddress?: string }
  | { type: "tron"; amountUsd?: string }
  | { type: "ton"; amountUsd?: string }
  | { type: "solana"; walletAddress: string; inputTokenMint: string; amountUsd?: string }
  // a family with quoted sessions (ChainFamily.quotedSessions: Bitcoin, Litecoin): the network to pay on, in its coin
  | { type: "bitcoin"; network: string };

/** type solana: the transaction for the wallet (when a wallet was named), plus what a Solana Pay QR needs. */
export type SolanaPaymentRequest = { serializedTx?: string; reference: string; recipient: string; payUrl: string };

/** The methods whose payers pay a receiver of the session's own, answered as `<type>: {receiverAddress, expiresAt}` (API.md §1). */
export type ReceiverMethod = Exclude<PaymentMethodInput["type"], "evm" | "solana">;

export type ChosenPaymentMethod = {
  session: CheckoutRow;
  receiver?: {
    type: ReceiverMethod; receiverAddress: string; expiresAt: Date;
    /** a quoted method: what to send now in the coin (decimal) and the payment URI carrying it (BIP21) */
    quote?: { network: string; asset: string; amountUnits: string; uri: string };
  };
  solana?: SolanaPaymentRequest;
};

type EvmChoice = { chainId: number | null; tokenAddress: string | null };

/** The payer's optional chain and token, checked against the session's mode and destination. */
function resolveEvmChoice(session: Pick<CheckoutRow, "livemode" | "network" | "tokenAddress" | "tokenSymbol" | "tokenDecimals">,
  input: { chainId?: number; tokenAddress?: string }): EvmChoice {
  const mode = session.livemode ? "live" : "test";
  let chains = enabledEvmChains(session.livemode);
  if (input.chainId !== undefined) {
    const chain = enabledEvmChain(session.livemode, input.chainId);
    if (!chain) {
      const ids = chains.map((c) => `${c.chainId} (${c.network})`).join(", ") || "none";
      throw errors.validation(`Chain ${input.chainId} is not an enabled EVM network in ${mode} mode. Enabled: ${ids}.`,
        "paymentMethod.chainId", "chain_not_supported");
    }
    chains = [chain];
  }
  if (input.tokenAddress === undefined) return { chainId: input.chainId ?? null, tokenAddress: null };
  // Without a chainId the token must be accepted on at least one enabled chain (the devnet's share addresses).
  const accepted: EvmAsset[] = [];
  for (const chain of chains) {
    const asset = evmAsset(chain, input.tokenAddress);
    if (asset && tokenCounts(session, { network: chain.network, address: asset.address, symbol: asset.symbol })) accepted.push(asset);
  }
  if (accepted.length === 0) {
    const where = input.chainId !== undefined ? `on chain ${input.chainId}` : `on any enabled EVM network in ${mode} mode`;
    const known = [...new Set(chains.flatMap((c) => evmAssets(c).map((a) => `${a.symbol} ${a.address}`)))].join(", ") || "none";
    throw errors.validation(`Token ${input.tokenAddress} cannot pay this session ${where}. Accepted: ${known}.`,
      "paymentMethod.tokenAddress", "token_not_supported");
  }
  return { chainId: input.chainId ?? null, tokenAddress: accepted[0].address };
}

function familyEnabled(family: Exclude<PaymentMethodInput["type"], "evm">, livemode: boolean): boolean {
  return chainsOfFamily(family, livemode).length > 0;
}

/** The session row, locked until the transaction ends, with whether its expiry has passed (database clock). */
export async function lockSession(tx: Tx, scope: Scope, id: string): Promise<{ row: CheckoutRow; pastExpiry: boolean } | null> {
  if (!isSessionId(id)) return null;
  const [found] = await tx.select({ row: checkouts, pastExpiry: sql<boolean>`${checkouts.expiresAt} <= now()` })
    .from(checkouts)
    .where(and(eq(checkouts.id, id), eq(checkouts.merchantId, scope.merchantId), eq(checkouts.livemode, scope.livemode),
      eq(checkouts.kind, "session")))
    .for("update");
  return found ?? null;
}

export function notPayable(row: CheckoutRow, pastExpiry: boolean) {
  if (row.status === "expired" || pastExpiry) {
    return errors.conflict("This session has expired; create a new session to pay.", "session_expired");
  }
  if (row.status === "processing") {
    return errors.conflict("A payment for this session is already under way; the payment method can no longer be changed.", "payment_processing");
  }
  return errors.conflict(`This session is ${row.status} and can no longer be paid.`, "session_not_payable");
}

/**
 * A family whose payers pay a receiver of the checkout's own (Tron today; TON and Bitcoin bring
 * theirs the same way): the session's receiver of that family, allocated on the first choice and
 * kept on later ones. The old receiver of another method stays watched until its window ends
 * (API.md: no late payment lost).
 */
async function chooseReceiver(scope: Scope, id: string, type: ReceiverMethod): Promise<ChosenPaymentMethod> {
  const family = chainFamily(type);
  return retryOnConflict(() => db().transaction(async (tx) => {
    const found = await lockSession(tx, scope, id);
    if (!found) throw errors.notFound("session", "id");
    const { row, pastExpiry } = found;
    if (!USD_STABLECOINS.has(row.tokenSymbol)) {
      throw errors.validation(`This session is paid in ${row.tokenSymbol}; ${family.displayName} pays only USD-stablecoin sessions (USDT and USDC). Use type "evm".`,
        "paymentMethod.type", "payment_method_not_supported");
    }
    if (pastExpiry || (row.status !== "requires_payment_method" && row.status !== "waiting_payment")) throw notPayable(row, pastExpiry);
    takePaymentMethodChange(row.id);
    const receiver = await findCheckoutReceiver(tx, row.id, family.id) ?? await allocateReceiver(tx, {
      merchantId: row.merchantId, livemode: row.livemode, family: family.id, checkoutId: row.id, watchUntil: watchUntilFor(row.expiresAt),
    });
    const session = await chooseMethod(tx, row, {
      paymentMethodType: family.id,
      paymentMethodChainId: null,
      paymentMethodTokenAddress: null,
      paymentMethodReceiverAddress: receiver.address,
      paymentMethodChosenAt: new Date(),
    });
    return { session, receiver: { type, receiverAddress: receiver.address, expiresAt: session.expiresAt } };
  }));
}

export async function choosePaymentMethod(scope: Scope, id: string, input: PaymentMethodInput): Promise<ChosenPaymentMethod> {
  if (input.type !== "evm") {
    if (!familyEnabled(input.type, scope.livemode)) {
      throw errors.validation(`The ${chainFamily(input.type).displayName} payment method is not enabled on this instance. Use type "evm".`,
        "paymentMethod.type", "payment_method_not_enabled");
    }
    // amountUsd is accepted for compatibility: a stablecoin session's amount is fixed at creation
    if (input.type === "solana") return chooseSolana(scope, id, input);
    if ("network" in input) {
      if (!takesQuotedSessions(input.type)) throw new Error(`${input.type} sessions take no network`);
      return chooseQuoted(scope, id, input.type, input.network);
    }
    return chooseReceiver(scope, id, input.type);
  }

  // Row lock: two simultaneous first choices must not allocate two receivers. The lock also
  // makes the state machine's compare-and-set succeed unless a bug elsewhere races it; the
  // retry covers that anyway.
  return retryOnConflict(() => db().transaction(async (tx) => {
    const found = await lockSession(tx, scope, id);
    if (!found) throw errors.notFound("session", "id");
    const { row, pastExpiry } = found;
    // Parameters before state: a bad chainId is a 400 whatever the session's status.
    const choice = resolveEvmChoice(row, input);
    if (pastExpiry || (row.status !== "requires_payment_method" && row.status !== "waiting_payment")) throw notPayable(row, pastExpiry);
    takePaymentMethodChange(row.id);

    const receiver = await findCheckoutReceiver(tx, row.id, "evm") ?? await allocateReceiver(tx, {
      merchantId: row.merchantId, livemode: row.livemode, family: "evm", checkoutId: row.id, watchUntil: watchUntilFor(row.expiresAt),
    });
    const changes = {
      paymentMethodType: "evm",
      paymentMethodChainId: choice.chainId,
      paymentMethodTokenAddress: choice.tokenAddress,
      paymentMethodReceiverAddress: receiver.address,
      paymentMethodChosenAt: new Date(),
    } satisfies TransitionChanges;

    return { session: await chooseMethod(tx, row, changes) };
  }));
}

/**
 * The accepted asset `inputTokenMint` names, and the amount of it that pays `dueUnits` (the
 * destination token's base units: what remains after an underpayment), rounded up.
 */
function resolveSolanaAsset(row: CheckoutRow, chain: ChainConfig, inputTokenMint: string, dueUnits: bigint): { asset: SolanaAsset; amount: bigint } {
  const asset = solanaAssetFor(chain, inputTokenMint);
  const accepted = () => solanaAssets(chain).filter((a) => a.mint !== null && tokenCounts(row, { network: chain.network, address: a.mint, symbol: a.asset }))
    .map((a) => `${a.asset} ${a.mint}`).join(", ") || "none";
  if (!asset) {
    throw errors.validation(`Mint ${inputTokenMint} is not accepted on Solana in ${row.livemode ? "live" : "test"} mode. Accepted: ${accepted()}.`,
      "paymentMethod.inputTokenMint", "token_not_supported");
  }
  if (asset.mint === null) {
    // a session is priced in its destination token; SOL would need a price quote, which sessions do not carry
    throw errors.validation(`Native SOL cannot pay this session: it is priced in ${row.tokenSymbol} and SOL needs a price quote. Accepted: ${accepted()}.`,
      "paymentMethod.inputTokenMint", "token_not_supported");
  }
  if (!tokenCounts(row, { network: chain.network, address: asset.mint, symbol: asset.asset })) {
    throw errors.validation(`${asset.asset} cannot pay this session (${row.tokenSymbol}). Accepted: ${accepted()}.`,
      "paymentMethod.inputTokenMint", "token_not_supported");
  }
  return { asset, amount: rescale(dueUnits, row.tokenDecimals, asset.decimals, "up") };
}

/**
 * type solana: a payment request (fresh reference, the merchant's Solana settlement wallet as
 * recipient, the amount in the chosen mint) and its unsigned transaction, fee payer = the
 * payer's wallet. Each call makes a new request; earlier ones stay watched until the session's
 * monitoring window ends, so a transaction the payer already signed is never lost. Without a
 * wallet (the checkout page's Solana Pay QR, for a phone wallet) there is no transaction to
 * build: the request is the URL alone, and whichever wallet scans it pays.
 */
export async function chooseSolana(scope: Scope, id: string, input: { walletAddress?: string; inputTokenMint: string }): Promise<ChosenPaymentMethod> {
  const chain = chainFor("solana", scope.livemode);
  if (!chain?.enabled) throw new Error("solana enabled in the family check but not as a chain");
  const conn = solanaConnection(chain);
  return retryOnConflict(() => db().transaction(async (tx) => {
    const found = await lockSession(tx, scope, id);
    if (!found) throw errors.notFound("session", "id");
    const { row, pastExpiry } = found;
    // an underpaid session asks for what remains
    const paid = await paymentState(row.id, { exec: tx });
    const remaining = paid && paid.summary.remainingUnits > 0n ? paid.summary.remainingUnits : row.amountUnits;
    const { asset, amount } = resolveSolanaAsset(row, chain, input.inputTokenMint, remaining);
    if (pastExpiry || (row.status !== "requires_payment_method" && row.status !== "waiting_payment")) throw notPayable(row, pastExpiry);
    const [settlement] = await tx.select({ address: settlementAddresses.address }).from(settlementAddresses)
      .where(and(eq(settlementAddresses.merchantId, row.merchantId), eq(settlementAddresses.network, chain.network), eq(settlementAddresses.livemode, row.livemode)));
    if (!settlement) {
      throw errors.unprocessable(`The merchant has no Solana settlement wallet for ${row.livemode ? "live" : "test"} mode, so Solana cannot pay this session. Use type "evm".`,
        "settlement_address_missing", "paymentMethod.type");
    }
    await assertReferenceRoom(tx, row.id);
    takePaymentMethodChange(row.id);

    const request = await createSolanaRequest(tx, {
      merchantId: row.merchantId, livemode: row.livemode, checkoutId: row.id, watchUntil: watchUntilFor(row.expiresAt),
      recipient: settlement.address, mint: asset.mint, assetCode: asset.code, amount, payer: input.walletAddress ?? null,
    });
    // the RPC calls (blockhash, recipient token account) happen under the row lock: a concurrent choice waits
    const serializedTx = input.walletAddress === undefined ? undefined
      : await buildTransferTx(conn, { payer: input.walletAddress, recipient: settlement.address, reference: request.reference, asset, amount });
    const payUrl = solanaPayUrl({ recipient: settlement.address, reference: request.reference, asset, amount, label: row.displayTitle });
    const changes = {
      paymentMethodType: "solana",
      paymentMethodChainId: null,
      paymentMethodTokenAddress: asset.mint,
      paymentMethodReceiverAddress: null,
      paymentMethodChosenAt: new Date(),
    } satisfies TransitionChanges;
    const solana = { ...(serializedTx ? { serializedTx } : {}), reference: request.reference, recipient: settlement.address, payUrl };
    return { session: await chooseMethod(tx, row, changes), solana };
  }));
}
