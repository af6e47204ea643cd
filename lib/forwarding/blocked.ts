// Why a checkout's forwarding cannot proceed (no settlement address, no refund address, hot wallet
// empty, …), kept where the dashboard and operators can see it: an outbound_txs row in status
// `created` (intended, never signed) whose `error` is the reason. The row is replaced when the
// reason changes and deleted as soon as the step can go ahead; a log line marks each new reason.
import { and, eq, inArray, isNull } from "drizzle-orm";
import type { Address } from "viem";
import { outboundTxs } from "@/db/schema";
import { storedAddress } from "@/lib/addresses";
import type { OutboundPurpose } from "@/lib/chains/evm/sender";
import type { ChainConfig } from "@/lib/config";
import { db } from "@/lib/db/client";
import type { Executor } from "@/lib/events/emit";
import { logger } from "@/lib/log/logger";

export type BlockedStep = {
  chain: ChainConfig;
  merchantId: string;
  checkoutId: string;
  purpose: OutboundPurpose;
  from: Address;
  /** the intended recipient, when known */
  to: Address | null;
  token: Address | null;
  amount: bigint;
};

function sameStep(s: Pick<BlockedStep, "chain" | "checkoutId" | "purpose" | "token">) {
  return and(
    eq(outboundTxs.checkoutId, s.checkoutId),
    eq(outboundTxs.network, s.chain.network),
    eq(outboundTxs.livemode, s.chain.livemode),
    eq(outboundTxs.purpose, s.purpose),
    eq(outboundTxs.status, "created"),
    s.token === null ? isNull(outboundTxs.tokenAddress) : eq(outboundTxs.tokenAddress, storedAddress(s.chain.family, s.token)),
  );
}

export async function noteBlocked(step: BlockedStep, reason: string): Promise<void> {
  const [existing] = await db().select({ id: outboundTxs.id, error: outboundTxs.error }).from(outboundTxs).where(sameStep(step));
  if (existing?.error === reason) return;
  const store = (a: string) => storedAddress(step.chain.family, a);
  await db().transaction(async (tx) => {
    await tx.delete(outboundTxs).where(sameStep(step));
    await tx.insert(outboundTxs).values({
      merchantId: step.merchantId, livemode: step.chain.livemode, network: step.chain.network, chainId: step.chain.chainId,
      purpose: step.purpose, checkoutId: step.checkoutId, fromAddress: store(step.from), toAddress: step.to ? store(step.to) : "",
      tokenAddress: step.token && store(step.token), amount: step.amount, status: "created", error: reason,
    });
  });
  logger.warn({ network: step.chain.key, sessionId: step.checkoutId, purpose: step.purpose, token: step.token, reason }, "forwarding blocked");
}

/** Drops a checkout's notes (all, or those of some purposes / one token) once their steps went ahead. */
export async function clearBlocked(
  exec: Executor, chain: ChainConfig, checkoutId: string,
  only: { purposes?: OutboundPurpose[]; token?: Address | null } = {},
): Promise<void> {
  await exec.delete(outboundTxs).where(and(
    eq(outboundTxs.checkoutId, checkoutId),
    eq(outboundTxs.network, chain.network),
    eq(outboundTxs.livemode, chain.livemode),
    eq(outboundTxs.status, "created"),
    only.purposes ? inArray(outboundTxs.purpose, only.purposes) : undefined,
    only.token === undefined ? undefined : only.token === null ? isNull(outboundTxs.tokenAddress) : eq(outboundTxs.tokenAddress, storedAddress(chain.family, only.token)),
  ));
}
