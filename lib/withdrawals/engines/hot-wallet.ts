// The withdrawal engine of the account-based families that speak an Ethereum-style JSON-RPC (EVM
// chains and Tron): pays pending withdrawals from the hot wallet (index 0) and sweeps deposit
// addresses into it. Signing goes through the family's rail (./rails): the transaction, its nonce
// (EVM) or txID (Tron) and the withdrawal id are committed in one insert before broadcast, and the
// guard moves the withdrawal pending → processing in that same transaction, so a withdrawal is
// signed at most once and a crash re-broadcasts the same bytes (reconcile, run by the forwarding pass).
import { and, eq, inArray, sql } from "drizzle-orm";
import { erc20Abi, formatUnits, getAddress, type Address } from "viem";
import { depositAddresses, outboundTxs, receivers, withdrawals } from "@/db/schema";
import { toEvmAddress } from "@/lib/addresses";
import { evmClient } from "@/lib/chains/evm/client";
import { errorMessage, estimateGasLimit, isRevert, transferCall, type OutboundRow } from "@/lib/chains/evm/sender";
import type { ChainConfig } from "@/lib/config";
import { chainAssets } from "@/lib/deposits/assets";
import { db } from "@/lib/db/client";
import { HOT_WALLET_INDEX } from "@/lib/keys/derive";
import { logger } from "@/lib/log/logger";
import { LeaseLostError } from "@/lib/worker/leases";
import type { WithdrawalRow } from "../serialize";
import { markFailed, markProcessing, notePending } from "../transitions";
import { NATIVE_TRANSFER_GAS, type Rail, type Signer } from "@/lib/chains/evm/rail";
import { finishProcessing, passQueue } from "./queue";
import type { EngineOptions, WithdrawalEngine } from "./types";

type Asset = { code: string; decimals: number; token: Address | null };

function assetOf(chain: ChainConfig, code: string): Asset | null {
  const { tokens, native } = chainAssets(chain);
  if (native?.code === code) return { code, decimals: native.decimals, token: null };
  for (const t of tokens.values()) if (t.code === code) return { code, decimals: t.decimals, token: getAddress(t.contract!) };
  return null;
}

async function balanceOf(chain: ChainConfig, token: Address | null, address: Address): Promise<bigint> {
  const client = evmClient(chain);
  if (token === null) return client.getBalance({ address });
  return client.readContract({ address: token, abi: erc20Abi, functionName: "balanceOf", args: [address] });
}

/** Value the sender has signed away but the chain may not show yet (signed or broadcast rows; Tron's energy loans move no TRX). */
async function inFlight(rail: Rail, chain: ChainConfig, from: Address, token: Address | null): Promise<{ value: bigint; txs: bigint }> {
  const { rows } = await db().execute<{ value: string; n: number }>(sql`
    select coalesce(sum(amount), 0)::text as value, count(*)::int as n from outbound_txs
    where network = ${chain.network} and livemode = ${chain.livemode} and from_address = ${rail.stored(from)}
      and status in ('signed', 'broadcast') and token_address is not distinct from ${token && rail.stored(token)}
      and purpose not in ('energy_delegation', 'energy_reclaim')`);
  return { value: BigInt(rows[0].value), txs: BigInt(rows[0].n) };
}

type Pass = { rail: Rail; chain: ChainConfig; hot: Signer; opts: EngineOptions };

async function send(p: Pass, row: OutboundRow | null): Promise<void> {
  if (row && p.opts.broadcast !== false) await p.rail.broadcast(p.chain, row);
}

async function payout(p: Pass, w: WithdrawalRow): Promise<void> {
  const { rail, chain } = p;
  const hot = p.hot.account.address;
  const hotShown = rail.stored(hot);
  const asset = assetOf(chain, w.currency);
  if (!asset) return void await markFailed(w.id, "pending", `${w.currency} is not configured on ${chain.network}`);
  const amount = w.amount!;
  const to = toEvmAddress(w.destination);
  const call = transferCall(to, asset.token, amount);
  let gas: bigint;
  let revert: string | null = null;
  try {
    gas = await estimateGasLimit(chain, hot, call);
  } catch (err) {
    // a revert usually means the hot wallet lacks the funds: checked below, with the reason visible
    if (!isRevert(err) && !/insufficient funds|exceeds balance/i.test(errorMessage(err))) throw err;
    gas = asset.token ? 100_000n : NATIVE_TRANSFER_GAS;
    revert = errorMessage(err);
  }
  const quote = await rail.quote(chain);
  const [have, haveNative, busy, busyNative] = await Promise.all([
    balanceOf(chain, asset.token, hot), balanceOf(chain, null, hot),
    inFlight(rail, chain, hot, asset.token), inFlight(rail, chain, hot, null),
  ]);
  const feeCost = asset.token ? gas * quote.fees.maxFeePerGas + quote.extra : rail.nativeTransferCost(chain, quote, gas);
  const needNative = feeCost + (asset.token ? 0n : amount);
  const availNative = haveNative - busyNative.value;
  const avail = asset.token ? have - busy.value : availNative;
  if (asset.token && avail < amount) {
    return notePending(db(), w.id, `insufficient hot wallet balance: ${hotShown} has ${formatUnits(avail, asset.decimals)} ${asset.code} available, the withdrawal needs ${formatUnits(amount, asset.decimals)}`);
  }
  if (availNative < needNative) {
    const native = (v: bigint) => formatUnits(v, rail.nativeDecimals(chain));
    return notePending(db(), w.id, `insufficient hot wallet balance: ${hotShown} has ${native(availNative)} of the native coin available, ` +
      `the withdrawal needs ${native(needNative)}${asset.token ? " for fees" : " including fees"}`);
  }
  // funds are there and the transfer would still revert (a token refusing the destination): fail without spending fees
  if (revert) return void await markFailed(w.id, "pending", `the transfer would revert: ${revert}`);
  const row = await rail.signAndRecord(chain, p.hot, {
    merchantId: w.merchantId, checkoutId: null, purpose: "withdrawal", to, token: asset.token, amount,
    gas, fees: quote.fees, withdrawalId: w.id, guard: (tx) => markProcessing(tx, w.id, null),
  });
  if (row) logger.info({ network: chain.key, withdrawalId: String(w.id), txHash: row.txHash, nonce: row.nonce?.toString() }, "withdrawal signed");
  await send(p, row);
}

async function sweep(p: Pass, w: WithdrawalRow): Promise<void> {
  const { rail, chain } = p;
  const asset = assetOf(chain, w.currency);
  if (!asset) return void await markFailed(w.id, "pending", `${w.currency} is not configured on ${chain.network}`);
  // a receiver of this rail's family: its key is the one this rail signs with
  const [source] = await db().select({ index: receivers.derivationIndex }).from(depositAddresses)
    .innerJoin(receivers, eq(receivers.id, depositAddresses.receiverId))
    .where(and(eq(depositAddresses.merchantId, w.merchantId), eq(depositAddresses.address, w.fromAddress!), eq(receivers.family, rail.family)));
  if (!source) return void await markFailed(w.id, "pending", `${w.fromAddress} is not a ${chain.network} deposit address of this merchant`);
  const signer = rail.signerAt(p.opts.mnemonic, source.index);
  const from = signer.account.address;
  if (from !== toEvmAddress(w.fromAddress!)) return void await markFailed(w.id, "pending", `${w.fromAddress} does not derive from this instance's mnemonic`);
  const mine = await db().select().from(outboundTxs).where(eq(outboundTxs.withdrawalId, w.id));
  if (mine.some((r) => r.status === "signed" || r.status === "broadcast")) return; // fee funding on its way
  const to = toEvmAddress(w.destination);
  const quote = await rail.quote(chain);
  const native = await balanceOf(chain, null, from);
  if (asset.token === null) {
    const amount = native - rail.nativeTransferCost(chain, quote);
    if (amount <= 0n) return void await markFailed(w.id, "pending", `${w.fromAddress} holds too little ${asset.code} to pay for its own transfer`);
    const row = await rail.signAndRecord(chain, signer, {
      merchantId: w.merchantId, checkoutId: null, purpose: "sweep", to, token: null, amount,
      gas: NATIVE_TRANSFER_GAS, fees: quote.fees, withdrawalId: w.id, guard: (tx) => markProcessing(tx, w.id, null),
    });
    return send(p, row);
  }
  const amount = await balanceOf(chain, asset.token, from);
  if (amount === 0n) return void await markFailed(w.id, "pending", `${w.fromAddress} holds no ${asset.code}`);
  const gas = await estimateGasLimit(chain, from, transferCall(to, asset.token, amount));
  const need = gas * quote.fees.maxFeePerGas + quote.extra;
  if (native < need) {
    // the deposit address holds only tokens: the hot wallet sends it what the transfer can cost first (+10 %)
    const value = need + need / 10n - native;
    const hotNative = await balanceOf(chain, null, p.hot.account.address);
    if (hotNative < value + rail.nativeTransferCost(chain, quote)) {
      return notePending(db(), w.id, `insufficient hot wallet balance to pay the sweep's fees (${rail.stored(p.hot.account.address)})`);
    }
    const row = await rail.signAndRecord(chain, p.hot, {
      merchantId: w.merchantId, checkoutId: null, purpose: "gas_funding", to: from, token: null,
      amount: value, gas: NATIVE_TRANSFER_GAS, fees: quote.fees, withdrawalId: w.id,
      guard: async (tx) => {
        const [still] = await tx.select({ id: withdrawals.id }).from(withdrawals).where(and(eq(withdrawals.id, w.id), eq(withdrawals.status, "pending")));
        const flying = await tx.select({ id: outboundTxs.id }).from(outboundTxs)
          .where(and(eq(outboundTxs.withdrawalId, w.id), inArray(outboundTxs.status, ["signed", "broadcast"])));
        return Boolean(still) && flying.length === 0;
      },
    });
    if (row) await notePending(db(), w.id, "waiting for the fee funding of the deposit address to confirm");
    return send(p, row);
  }
  const row = await rail.signAndRecord(chain, signer, {
    merchantId: w.merchantId, checkoutId: null, purpose: "sweep", to, token: asset.token, amount,
    gas, fees: quote.fees, withdrawalId: w.id, guard: (tx) => markProcessing(tx, w.id, null),
  });
  await send(p, row);
}

const engines = new Map<Rail, WithdrawalEngine>();
/** The hot-wallet engine over a family's payout rail (ChainFamily.sender.rail): one per rail. */
export function hotWalletEngine(rail: Rail): WithdrawalEngine {
  let e = engines.get(rail);
  if (!e) engines.set(rail, (e = engineOf(rail)));
  return e;
}

function engineOf(rail: Rail): WithdrawalEngine {
  return {
    family: rail.family,
    async pass(chain, opts) {
      await finishProcessing(chain);
      const pending = await passQueue(chain);
      const p: Pass = { rail, chain, hot: rail.signerAt(opts.mnemonic, HOT_WALLET_INDEX), opts };
      for (const w of pending) {
        try {
          if (w.kind === "payout") await payout(p, w);
          else await sweep(p, w);
        } catch (err) {
          if (err instanceof LeaseLostError) throw err; // another worker pays this network now
          logger.warn({ network: chain.key, withdrawalId: String(w.id), err: errorMessage(err) }, "withdrawal step failed; will retry");
        }
      }
    },
  };
}

