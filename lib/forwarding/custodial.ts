// The steps every custodial forwarder shares (ChainFamily.custodialCheckouts: Solana's and TON's
// checkouts, forwarded from their receiver by code in the family's folder): which forward rows
// count since the merchant's last retry, where an asset goes, the under-lock check that a forward
// is still the next step, and recording the delivered groups before the decider settles the
// checkout. What is signed and how stays in the family.
import { and, eq } from "drizzle-orm";
import { checkouts, outboundTxs, settlementAddresses, settlementGroups } from "@/db/schema";
import { evaluateCheckout } from "@/lib/checkout/evaluate";
import { isNativeToken } from "@/lib/checkout/native-token";
import type { ChainConfig } from "@/lib/config";
import { db } from "@/lib/db/client";
import type { Executor, Tx } from "@/lib/events/emit";
import { logger } from "@/lib/log/logger";
import { checkFence } from "@/lib/worker/leases";
import { clearBlocked } from "./blocked";
import type { ReadyCheckout } from "./ready";
import { tokenState, type TokenState } from "./token-state";

type OutboundRow = typeof outboundTxs.$inferSelect;

/** One receiver's forwarding of one checkout, as far as the shared steps need it. */
export type CustodialStep = {
  p: { chain: ChainConfig };
  ready: ReadyCheckout;
  group: ReadyCheckout["pending"][number];
  receiver: { id: string; address: string };
};

/** Rows that still count: signed ones, less failures from before the merchant's last retry. */
export function currentRows(rows: OutboundRow[], ready: ReadyCheckout): OutboundRow[] {
  const retried = ready.retriedAt?.getTime() ?? -Infinity;
  return rows.filter((r) => r.status !== "created" && !(r.status === "failed" && r.createdAt.getTime() < retried));
}

/** The checkout's forwards from this receiver that still count. */
export async function forwardRows(exec: Executor, s: CustodialStep): Promise<OutboundRow[]> {
  const rows = await exec.select().from(outboundTxs).where(and(
    eq(outboundTxs.checkoutId, s.ready.checkout.id), eq(outboundTxs.network, s.p.chain.network), eq(outboundTxs.livemode, s.p.chain.livemode),
    eq(outboundTxs.purpose, "forward"), eq(outboundTxs.fromAddress, s.receiver.address),
  ));
  return currentRows(rows, s.ready);
}

/** The checkout's own asset goes to its destination; anything else it counted to the merchant's settlement wallet. */
export async function destinationFor(s: CustodialStep, token: string | null): Promise<string | null> {
  const { checkout } = s.ready;
  const own = isNativeToken(checkout.tokenAddress) ? token === null : checkout.tokenAddress === token;
  if (checkout.network === s.p.chain.network && own) return checkout.destinationAddress;
  const [row] = await db().select({ address: settlementAddresses.address }).from(settlementAddresses).where(and(
    eq(settlementAddresses.merchantId, checkout.merchantId), eq(settlementAddresses.network, s.p.chain.network), eq(settlementAddresses.livemode, s.p.chain.livemode)));
  return row?.address ?? null;
}

/**
 * Under the checkout's row lock: still processing (a merchant's block takes the same lock), and a
 * forward of this asset is still the next step (no other process or earlier pass signed one); the
 * notes of the `purposes` it settles are cleared.
 */
export async function stillNext(tx: Tx, s: CustodialStep, token: string | null, purposes: ("forward" | "gas_funding")[]): Promise<boolean> {
  const [c] = await tx.select({ status: checkouts.status }).from(checkouts).where(eq(checkouts.id, s.ready.checkout.id)).for("update");
  if (c?.status !== "processing") return false;
  const rows = (await forwardRows(tx, s)).filter((r) => r.tokenAddress === token);
  if (tokenState(rows).kind !== "forward" || rows.some((r) => r.status === "failed")) return false;
  await clearBlocked(tx, s.p.chain, s.ready.checkout.id, { purposes, token });
  return true;
}

/** Every asset forwarded: the groups are recorded delivered, and the decider settles the checkout when they were its last. */
export async function finishGroups(s: CustodialStep, states: readonly { token: string | null; state: TokenState }[]): Promise<void> {
  const { chain } = s.p;
  const { checkout } = s.ready;
  const groups = states.flatMap(({ token, state }) => {
    if (state.kind !== "forwarded") return [];
    const deposits = s.group.deposits.filter((d) => d.tokenAddress === token);
    return [{
      checkoutId: checkout.id, merchantId: checkout.merchantId, livemode: chain.livemode, network: chain.network, chainId: null,
      receiverId: s.receiver.id, assetCode: deposits[0].assetCode, tokenAddress: token, mode: "forward" as const, status: "delivered" as const,
      depositedUnits: deposits.reduce((sum, d) => sum + d.amount, 0n), deliveredUnits: state.row.amount,
      toAddress: state.row.toAddress, txHash: state.row.txHash!,
    }];
  });
  const result = await db().transaction(async (tx) => {
    await checkFence(tx);
    await clearBlocked(tx, chain, checkout.id);
    if (groups.length) await tx.insert(settlementGroups).values(groups).onConflictDoNothing();
    return evaluateCheckout(checkout.id, { tx });
  });
  logger.info({ network: chain.key, sessionId: checkout.id, groups: groups.map((g) => ({ asset: g.assetCode, txHash: g.txHash, units: g.deliveredUnits.toString() })), status: result?.checkout.status },
    "settlement groups final");
}
