// What a payer's wallet holds that can pay a session (API.md §1 tokenOptions): every accepted
// stablecoin on every enabled EVM network of the session's mode, with the amount still due in
// that token's units and the payer's balance. Balances are read in parallel; an RPC that fails
// or is slow leaves that option without balanceUnits instead of failing the request.
import { erc20Abi, getAddress, type Address } from "viem";
import { errors } from "@/lib/api/errors";
import { evmClient } from "@/lib/chains/evm/client";
import { enabledEvmChains, evmAssets } from "@/lib/checkout/evm-assets";
import type { CheckoutRow } from "@/lib/checkout/state-machine";
import type { ChainConfig } from "@/lib/config";
import { db } from "@/lib/db/client";
import type { Logger } from "@/lib/log/logger";
import { formatUnits } from "@/lib/money/units";
import { summarizePayment, tokenCounts } from "@/lib/checkout/payment-summary";
import { rescale } from "@/lib/money/units";
import { findSession, type Scope } from "./get-session";
import { loadSessionDeposits } from "./serialize";

export type TokenOption = { chainId: number; tokenAddress: string; tokenSymbol: string; requiredUnits: string; balanceUnits?: string };

/** Per balanceOf call; the checkout page waits for the slowest chain. */
export const BALANCE_TIMEOUT_MS = 3000;

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

type Candidate = { option: Omit<TokenOption, "balanceUnits">; decimals: number; required: bigint; balance: bigint | null };

/** The payer's balance of a token, or null when the chain does not answer in time. */
async function readBalance(chain: ChainConfig, token: Address, owner: Address, log: Logger): Promise<bigint | null> {
  const read = evmClient(chain).readContract({ address: token, abi: erc20Abi, functionName: "balanceOf", args: [owner] });
  try {
    return await withTimeout(read, BALANCE_TIMEOUT_MS);
  } catch (err) {
    log.warn({ network: chain.network, token, err: err instanceof Error ? err.message.split("\n")[0] : String(err) }, "token balance unavailable");
    return null;
  }
}

/**
 * Options for an EVM payer, sufficient balances first, then unknown ones (RPC failed), then
 * insufficient ones; configuration order (chain, then token) within each group. A session that
 * cannot be paid any more (not requires_payment_method / waiting_payment, or past its expiry)
 * has no options.
 */
export async function evmTokenOptions(
  session: CheckoutRow, payer: Address, log: Logger, chains: readonly ChainConfig[] = enabledEvmChains(session.livemode),
): Promise<TokenOption[]> {
  if (!(session.status === "requires_payment_method" || session.status === "waiting_payment")) return [];
  if (session.expiresAt.getTime() <= Date.now()) return [];
  const deposits = (await loadSessionDeposits(db(), [session.id])).get(session.id) ?? [];
  const { remainingUnits: remaining } = summarizePayment(session, 0, deposits);

  const pending: Array<Promise<Candidate>> = [];
  for (const chain of chains) {
    for (const asset of evmAssets(chain)) {
      if (!tokenCounts(session, { network: chain.network, address: asset.address, symbol: asset.symbol })) continue;
      // amounts due round up when a token has fewer decimals than the destination
      const required = rescale(remaining, session.tokenDecimals, asset.decimals, "up");
      const option = {
        chainId: chain.chainId!, tokenAddress: asset.address, tokenSymbol: asset.symbol,
        requiredUnits: formatUnits(required, asset.decimals),
      };
      pending.push(readBalance(chain, asset.address, payer, log).then((balance) => ({ option, decimals: asset.decimals, required, balance })));
    }
  }
  const candidates = await Promise.all(pending);
  const rank = (c: Candidate) => (c.balance === null ? 1 : c.balance >= c.required ? 0 : 2);
  // Array.prototype.sort is stable: configuration order survives within a rank.
  return candidates.sort((a, b) => rank(a) - rank(b))
    .map((c) => (c.balance === null ? c.option : { ...c.option, balanceUnits: formatUnits(c.balance, c.decimals) }));
}

export type TokenOptionsQuery = { evmAddress?: string; solanaAddress?: string };

export async function getTokenOptions(scope: Scope, id: string, q: TokenOptionsQuery, log: Logger)
  : Promise<{ sessionId: string; options: TokenOption[] }> {
  if (q.evmAddress === undefined && q.solanaAddress === undefined) {
    throw errors.validation("Provide the payer's evmAddress or solanaAddress.", "evmAddress", "parameter_missing");
  }
  const session = await findSession(db(), scope, id);
  if (!session) throw errors.notFound("session", "id");
  // Solana balances come with the Solana payment method (its own issue): no options from it yet.
  const options = q.evmAddress !== undefined ? await evmTokenOptions(session, getAddress(q.evmAddress), log) : [];
  return { sessionId: session.id, options };
}
