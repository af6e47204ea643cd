// Why a checkout's settlement cannot proceed (no settlement address, no refund address, hot wallet
// empty, …), kept where the dashboard and operators can see it: a settlement_notes row per step
// (never an outbound transaction: those are only what was signed). The note is replaced when the
// reason changes and deleted as soon as the step can go ahead; a log line marks each new reason.
import { and, eq, inArray, isNull } from "drizzle-orm";
import { settlementNotes } from "@/db/schema";
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
  /** addresses in the family's form (an EVM step passes its 0x ones) */
  from: string;
  /** the intended recipient, when known */
  to: string | null;
  token: string | null;
  amount: bigint;
};

function sameStep(s: Pick<BlockedStep, "chain" | "checkoutId" | "purpose" | "token">) {
  return and(
    eq(settlementNotes.checkoutId, s.checkoutId),
    eq(settlementNotes.network, s.chain.network),
    eq(settlementNotes.livemode, s.chain.livemode),
    eq(settlementNotes.purpose, s.purpose),
    s.token === null ? isNull(settlementNotes.tokenAddress) : eq(settlementNotes.tokenAddress, storedAddress(s.chain.family, s.token)),
  );
}

export async function noteBlocked(step: BlockedStep, reason: string): Promise<void> {
  const [existing] = await db().select({ id: settlementNotes.id, reason: settlementNotes.reason }).from(settlementNotes).where(sameStep(step));
  if (existing?.reason === reason) return;
  const store = (a: string) => storedAddress(step.chain.family, a);
  await db().transaction(async (tx) => {
    await tx.delete(settlementNotes).where(sameStep(step));
    await tx.insert(settlementNotes).values({
      merchantId: step.merchantId, livemode: step.chain.livemode, network: step.chain.network,
      purpose: step.purpose, checkoutId: step.checkoutId, fromAddress: store(step.from), toAddress: step.to ? store(step.to) : null,
      tokenAddress: step.token && store(step.token), amount: step.amount, reason,
    });
  });
  logger.warn({ network: step.chain.key, sessionId: step.checkoutId, purpose: step.purpose, token: step.token, reason }, "settlement blocked");
}

/** Drops a checkout's notes (all, or those of some purposes / one token) once their steps went ahead. */
export async function clearBlocked(
  exec: Executor, chain: ChainConfig, checkoutId: string,
  only: { purposes?: OutboundPurpose[]; token?: string | null } = {},
): Promise<void> {
  await exec.delete(settlementNotes).where(and(
    eq(settlementNotes.checkoutId, checkoutId),
    eq(settlementNotes.network, chain.network),
    eq(settlementNotes.livemode, chain.livemode),
    only.purposes ? inArray(settlementNotes.purpose, only.purposes) : undefined,
    only.token === undefined ? undefined : only.token === null ? isNull(settlementNotes.tokenAddress) : eq(settlementNotes.tokenAddress, storedAddress(chain.family, only.token)),
  ));
}
