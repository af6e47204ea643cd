// What every forwarding step of one checkout on one chain needs, and the queries they share.
import { and, eq } from "drizzle-orm";
import type { Address, LocalAccount } from "viem";
import { checkouts, outboundTxs, receivers } from "@/db/schema";
import { toEvmAddress } from "@/lib/addresses";
import { isNativeToken, NATIVE_TOKEN } from "@/lib/checkout/native-token";
import type { Rail, Signer } from "@/lib/chains/evm/rail";
import type { SweepBatch } from "@/lib/chains/evm/sweeper";
import type { OutboundPurpose, OutboundRow, SendRequest } from "@/lib/chains/evm/sender";
import { chainFamily, familyOf } from "@/lib/chains/registry";
import type { CheckoutRow } from "@/lib/checkout/state-machine";
import type { ChainConfig } from "@/lib/config";
import { db } from "@/lib/db/client";
import type { Executor, Tx } from "@/lib/events/emit";
import type { Logger } from "@/lib/log/logger";
import { HOT_WALLET_INDEX } from "@/lib/keys/derive";
import { clearBlocked, type BlockedStep } from "./blocked";
import type { DepositRow } from "./ready";
import { tokenState, type TokenState } from "./token-state";

export type ForwardContext = {
  chain: ChainConfig;
  checkout: CheckoutRow;
  /** the checkout's confirmed deposits on this chain */
  deposits: DepositRow[];
  /** signs for the receiver the deposits sit on */
  receiver: LocalAccount;
  /** index 0 of the instance mnemonic: pays receivers' gas */
  hotWallet: LocalAccount;
  /** the family's payout rail (signing, fees, broadcast) and the signers behind `receiver` and `hotWallet` */
  rail: Rail;
  signers: { receiver: Signer; hotWallet: Signer };
  /** false: sign and record without broadcasting (what a crash right after the commit leaves behind) */
  broadcast: boolean;
  /** the merchant's last retry: failed transactions signed before it no longer decide the next step */
  retriedAt?: Date | null;
  /** the pass's EIP-7702 batch sweep, when the chain forwards tokens that way */
  batch?: SweepBatch;
  /** the checkout status the steps run in: processing (forwarding), or a finished payment's own (follow-ups) */
  activeStatus?: CheckoutRow["status"];
  log: Logger;
};

/** The account chain's rail for `chain` (EVM, Tron): what forwarding signs and sends with. */
export function railOf(chain: ChainConfig): Rail {
  const rail = familyOf(chain).sender?.rail;
  if (!rail) throw new Error(`${chain.key} has no account rail to forward with`);
  return rail;
}

/** The receiver at `index` and the hot wallet (index 0) as the family signs for them. */
export function forwardSigners(chain: ChainConfig, mnemonic: string, index: bigint) {
  const rail = railOf(chain);
  const signers = { receiver: rail.signerAt(mnemonic, index), hotWallet: rail.signerAt(mnemonic, HOT_WALLET_INDEX) };
  return { rail, signers, receiver: signers.receiver.account, hotWallet: signers.hotWallet.account };
}

/**
 * The context for a receiver's steps on `chain`: its signers from the instance mnemonic, checked
 * against the stored receiver (its family and address) — or why they do not match.
 */
export async function receiverContext(
  chain: ChainConfig, checkout: CheckoutRow, receiverId: string, mnemonic: string,
  rest: Pick<ForwardContext, "deposits" | "broadcast" | "log" | "activeStatus" | "retriedAt" | "batch">,
): Promise<{ ctx: ForwardContext; mismatch: string | null }> {
  const [receiver] = await db().select().from(receivers).where(eq(receivers.id, receiverId));
  // the family's keys (Tron's m/44'/195'/… sign as secp256k1 accounts whose 20 bytes are the base58 address's)
  const ctx: ForwardContext = { chain, checkout, ...forwardSigners(chain, mnemonic, receiver.derivationIndex), ...rest };
  const matches = chainFamily(receiver.family) === familyOf(chain) && ctx.receiver.address === toEvmAddress(receiver.address);
  return {
    ctx,
    mismatch: matches ? null : `receiver ${receiver.address} does not derive from this instance's mnemonic at index ${receiver.derivationIndex}`,
  };
}

export async function send(ctx: ForwardContext, req: Omit<SendRequest, "chain" | "merchantId" | "checkoutId">): Promise<OutboundRow | null> {
  // the rail fences every signature: a worker that lost the network's lease signs nothing
  const signer = req.account.address === ctx.hotWallet.address ? ctx.signers.hotWallet : ctx.signers.receiver;
  const { account: _account, ...rest } = req;
  // a receiver sending the native coin it was paid pays the fee out of that payment (transferPlan)
  const feeFromAmount = signer === ctx.signers.receiver && req.token === null;
  const row = await ctx.rail.signAndRecord(ctx.chain, signer, { ...rest, feeFromAmount, merchantId: ctx.checkout.merchantId, checkoutId: ctx.checkout.id });
  if (row && ctx.broadcast) await ctx.rail.broadcast(ctx.chain, row);
  return row;
}

/** A step's description for noteBlocked. */
export function step(ctx: ForwardContext, purpose: OutboundPurpose, token: Address | null, to: Address | null, amount: bigint, from = ctx.receiver.address): BlockedStep {
  return { chain: ctx.chain, merchantId: ctx.checkout.merchantId, checkoutId: ctx.checkout.id, purpose, from: toEvmAddress(from), to, token, amount };
}

/** The checkout's signed, sent, confirmed and failed transactions on this chain by (or funding) ctx.receiver (not the `created` notes, nor transactions replaced by another with the same nonce). */
export async function checkoutRows(exec: Executor, ctx: ForwardContext, purpose?: OutboundPurpose): Promise<OutboundRow[]> {
  const rows = await exec.select().from(outboundTxs).where(and(
    eq(outboundTxs.checkoutId, ctx.checkout.id),
    eq(outboundTxs.network, ctx.chain.network),
    eq(outboundTxs.livemode, ctx.chain.livemode),
    purpose ? eq(outboundTxs.purpose, purpose) : undefined,
  ));
  // a checkout may hold groups on several receivers of one network: only this receiver's own
  // transactions (sent by it, or its gas funding) make its state
  const mine = (a: string) => {
    try { return a !== "" && toEvmAddress(a) === ctx.receiver.address; } catch { return false; }
  };
  const retried = ctx.retriedAt?.getTime() ?? -Infinity;
  return rows.filter((r) => r.status !== "created" && r.status !== "replaced" && (mine(r.fromAddress) || mine(r.toAddress))
    && !(r.status === "failed" && r.createdAt.getTime() < retried));
}

/**
 * A transaction of the receiver's own (or its gas funding) is signed or broadcast and not yet
 * final: its fee is not spent from the balance a read shows now, so nothing else of the receiver's
 * may be planned against that balance until it is.
 */
export async function receiverBusy(ctx: ForwardContext): Promise<boolean> {
  return (await checkoutRows(db(), ctx)).some((r) => r.status === "signed" || r.status === "broadcast");
}

/** The key forwarding tracks an asset by: the token's 0x form, or NATIVE_TOKEN for the native coin (stored as null). */
export const assetKey = (tokenAddress: string | null): Address => (tokenAddress === null ? NATIVE_TOKEN : toEvmAddress(tokenAddress));
/** The asset key of a checkout's own token (its tokenAddress: 0x, Tron base58, or NATIVE_TOKEN). */
export const checkoutAssetKey = (checkout: Pick<CheckoutRow, "tokenAddress">): Address =>
  isNativeToken(checkout.tokenAddress) ? NATIVE_TOKEN : toEvmAddress(checkout.tokenAddress);
/** The token to send for an asset key: null for the native coin. */
export const tokenOf = (key: Address): Address | null => (key === NATIVE_TOKEN ? null : key);

export function rowsOfToken(rows: readonly OutboundRow[], token: Address): OutboundRow[] {
  // Tron rows store base58check: compare the accounts' 20 bytes
  return rows.filter((r) => (r.purpose === "forward" || r.purpose === "refund") && assetKey(r.tokenAddress) === token);
}

/**
 * The checkout is still in the status its steps run in (processing unless the context says
 * otherwise). Locks the checkout row until the signing transaction ends: a merchant's block (which
 * takes the same lock) either happened before — and is seen here — or waits and then sees the
 * signed transaction.
 */
export async function isActive(tx: Tx, ctx: ForwardContext): Promise<boolean> {
  const [c] = await tx.select({ status: checkouts.status }).from(checkouts).where(eq(checkouts.id, ctx.checkout.id)).for("update");
  return c?.status === (ctx.activeStatus ?? "processing");
}

/**
 * Guard for a forward or refund, run under the receiver's sender lock: the checkout is still
 * processing and `kind` is still this token's next step, so no two processes (or a retry after a
 * crash) send it twice.
 */
export function stillNext(ctx: ForwardContext, token: Address, kind: "forward" | "refund") {
  return async (tx: Tx): Promise<boolean> => {
    if (!(await isActive(tx, ctx))) return false;
    const state: TokenState = tokenState(rowsOfToken(await checkoutRows(tx, ctx), token));
    if (state.kind !== kind) return false;
    await clearBlocked(tx, ctx.chain, ctx.checkout.id, { purposes: ["forward", "refund"], token });
    return true;
  };
}

/** Guard for gas funding, run under the hot wallet's sender lock: at most one funding in flight per checkout. */
export function noFundingInFlight(ctx: ForwardContext) {
  return async (tx: Tx): Promise<boolean> => {
    if (!(await isActive(tx, ctx))) return false;
    const rows = await checkoutRows(tx, ctx, "gas_funding");
    if (rows.some((r) => r.status === "signed" || r.status === "broadcast")) return false;
    await clearBlocked(tx, ctx.chain, ctx.checkout.id, { purposes: ["gas_funding"], token: null });
    return true;
  };
}
