// Tron energy from staked TRX (Stake 2.0), so a receiver's TRC-20 transfer burns no TRX.
//
// A TRC-20 transfer needs energy (≈ 65,000 to a holder, ≈ 130,000 to a new one). Without any, the
// sender burns TRX for it at the chain's energy price (getEnergyFee), up to the transaction's
// fee_limit — what the hot wallet funds a receiver with otherwise (lib/forwarding/gas). With TRX
// staked for energy (FreezeBalanceV2, TRON_STAKE_TRX), the hot wallet instead lends the receiver
// the energy of just enough staked TRX (DelegateResource, an `energy_delegation` row of the
// checkout, signed and stored before broadcast), waits for it to confirm, lets the receiver send on
// that energy, and takes it back once the receiver's transfer is final (UnDelegateResource, an
// `energy_reclaim` row). No TRX moves; the rows' fees (bandwidth) are the hot wallet's. The
// receiver still needs bandwidth: an account's free daily bandwidth covers one transfer, but an
// account that does not exist yet (a receiver that only ever received a TRC-20) can neither
// receive a delegation nor send, so it is activated first with a 1-sun TRX transfer (gas_funding).
// When the hot wallet cannot lend enough (nothing staked, or all of it lent or used), the receiver
// is funded with TRX to burn, as before. How much staked TRX yields how much energy is the network's
// ratio from getaccountresource (TotalEnergyLimit energy per TotalEnergyWeight TRX staked).
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Address } from "viem";
import { outboundTxs } from "@/db/schema";
import type { OutboundRow } from "@/lib/chains/evm/sender";
import type { Signer } from "@/lib/chains/evm/rail";
import type { ChainConfig } from "@/lib/config";
import { db } from "@/lib/db/client";
import type { Executor, Tx } from "@/lib/events/emit";
import { HOT_WALLET_INDEX, tronAccountAt, tronPrivateKeyAt } from "@/lib/keys/derive";
import { logger } from "@/lib/log/logger";
import { fenced } from "@/lib/worker/leases";
import { hexToTron, wireAddress } from "./address";
import { TRON_BANDWIDTH_SUN, TronGridSender, tronSender } from "./sender";
import type { TronAccountResource } from "./trongrid";

/** Bandwidth (bytes) a TRC-20 transfer consumes: ≈ 280 bytes of raw data, the signature and the protobuf overhead, rounded up. */
export const TRC20_TRANSFER_BANDWIDTH = 350n;
/** What activates an account that does not exist on chain yet: any TRX transfer to it. */
export const ACTIVATION_SUN = 1n;
/** A delegation lends whole TRX (at least 1). */
const SUN_PER_TRX = 1_000_000n;
/** A delegation still lent after this long is taken back even if its transfer never came (a checkout blocked, expired, refunded another way). */
const LOAN_MAX_AGE_MS = 60 * 60_000;

/**
 * Sun of staked TRX whose energy is `energy` at the network's ratio (TotalEnergyLimit energy per
 * day for TotalEnergyWeight TRX staked), rounded up to whole TRX.
 */
export function stakeForEnergy(energy: bigint, totals: Pick<TronAccountResource, "totalEnergyLimit" | "totalEnergyWeight">): bigint {
  if (totals.totalEnergyLimit <= 0n || totals.totalEnergyWeight <= 0n) throw new Error("the node reported no network energy totals");
  if (energy <= 0n) return 0n;
  const trx = (energy * totals.totalEnergyWeight + totals.totalEnergyLimit - 1n) / totals.totalEnergyLimit;
  return (trx > 0n ? trx : 1n) * SUN_PER_TRX;
}

/** A receiver's token transfer about to be signed (lib/forwarding/gas). */
export type EnergyStep = {
  merchantId: string;
  checkoutId: string;
  /** the receiver, 0x form */
  receiver: Address;
  hotWallet: Signer;
  /** the energy the transfer needs (the node's estimate with its margin) */
  gas: bigint;
  broadcast: boolean;
  /** run under the hot wallet's sender lock before a delegation is recorded: the checkout still needs it */
  guard: (tx: Tx) => Promise<boolean>;
};

export type EnergyPlan =
  /** the receiver's energy (lent) and bandwidth cover the transfer: sign it with these fees (its fee limit) */
  | { kind: "ready"; fees: { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint } }
  /** a delegation is in flight (just sent, or not yet confirmed) */
  | { kind: "wait" }
  /** the receiver needs this much TRX first: activation, or bandwidth it has no free allowance for */
  | { kind: "fund"; amount: bigint }
  /** nothing to lend: fund TRX for it to burn */
  | { kind: "burn"; reason: string };

type Loans = { inFlight: boolean; outstanding: bigint; lastDelegation: OutboundRow | null; failed: boolean };

/** The checkout's energy loans to `receiver` (stored form): whether one is in flight, and the staked sun lent and not yet taken back. */
async function loans(exec: Executor, chain: ChainConfig, checkoutId: string, receiver: string): Promise<Loans> {
  const rows = await exec.select().from(outboundTxs).where(and(
    eq(outboundTxs.checkoutId, checkoutId), eq(outboundTxs.network, chain.network), eq(outboundTxs.livemode, chain.livemode),
    eq(outboundTxs.toAddress, receiver), inArray(outboundTxs.purpose, ["energy_delegation", "energy_reclaim"]),
    inArray(outboundTxs.status, ["signed", "broadcast", "confirmed", "failed"]),
  )).orderBy(outboundTxs.createdAt);
  const failed = rows.some((r) => r.status === "failed" && r.purpose === "energy_delegation");
  let outstanding = 0n;
  let lastDelegation: OutboundRow | null = null;
  for (const r of rows) {
    if (r.status === "failed") continue;
    // a reclaim counts from the moment it is signed: it is sent until it confirms or expires
    if (r.purpose === "energy_reclaim") outstanding -= r.amount;
    else if (r.status === "confirmed") { outstanding += r.amount; lastDelegation = r; }
  }
  return { inFlight: rows.some((r) => r.status === "signed" || r.status === "broadcast"), outstanding, lastDelegation, failed };
}

/** What a receiver's token transfer needing `step.gas` energy does next; may sign (and broadcast) a delegation from the hot wallet. */
export async function prepareEnergy(chain: ChainConfig, step: EnergyStep): Promise<EnergyPlan> {
  const sender = tronSender(chain);
  if (!(sender instanceof TronGridSender)) return { kind: "burn", reason: "the JSON-RPC sender has no Stake 2.0" };
  const { client } = sender;
  const receiver = hexToTron(wireAddress(step.receiver));
  const hot = hexToTron(wireAddress(step.hotWallet.account.address));
  const before = await loans(db(), chain, step.checkoutId, receiver);
  if (before.inFlight) return { kind: "wait" };
  const [energyFee, account, res] = await Promise.all([client.energyFee(), client.account(receiver), client.accountResource(receiver)]);
  const available = res.energyLimit - res.energyUsed;
  if (account && available >= step.gas) {
    const fees = { maxFeePerGas: energyFee, maxPriorityFeePerGas: 0n };
    const bandwidth = res.freeNetLimit - res.freeNetUsed + res.netLimit - res.netUsed;
    if (bandwidth >= TRC20_TRANSFER_BANDWIDTH || account.balance >= TRON_BANDWIDTH_SUN) return { kind: "ready", fees };
    return { kind: "fund", amount: TRON_BANDWIDTH_SUN - account.balance };
  }
  if (before.outstanding > 0n) return { kind: "burn", reason: `the energy lent to the receiver (${available} left) does not cover its transfer (${step.gas})` };
  // one failed (or expired) delegation is enough: the receiver burns TRX rather than the hot wallet paying for more attempts
  if (before.failed) return { kind: "burn", reason: "a delegation of energy to the receiver failed" };
  const [canLend, hotRes] = await Promise.all([client.canDelegateEnergy(hot), client.accountResource(hot)]);
  const loan = stakeForEnergy(step.gas - (available > 0n ? available : 0n), hotRes);
  if (canLend < loan) return { kind: "burn", reason: `the hot wallet can lend the energy of ${canLend} sun of staked TRX; the transfer needs ${loan}` };
  // an account that does not exist cannot be lent anything: a TRX transfer creates it
  if (!account) return { kind: "fund", amount: ACTIVATION_SUN };
  const row = await sender.signAndRecordLoan({
    chain, account: step.hotWallet.account, privateKey: step.hotWallet.privateKey!, merchantId: step.merchantId, checkoutId: step.checkoutId,
    purpose: "energy_delegation", to: step.receiver, amount: loan,
    guard: fenced(async (tx) => {
      if (!(await step.guard(tx))) return false;
      const now = await loans(tx, chain, step.checkoutId, receiver);
      return !now.inFlight && !now.failed && now.outstanding === 0n;
    }),
  });
  if (row) {
    logger.info({ network: chain.key, sessionId: step.checkoutId, txHash: row.txHash, receiver, energy: step.gas.toString(), stakedSun: loan.toString() },
      "energy delegated to the receiver");
    if (step.broadcast) await sender.broadcast(row);
  }
  return { kind: "wait" };
}

/**
 * Takes back energy lent to receivers whose transfer is over: the receiver has no transaction in
 * flight and one of its own, signed after the delegation, is final (or the loan is older than an
 * hour). Then keeps TRON_STAKE_TRX staked.
 */
export async function energyUpkeep(sender: TronGridSender, mnemonic: string): Promise<void> {
  const { chain } = sender;
  const hot = { account: tronAccountAt(mnemonic, HOT_WALLET_INDEX), privateKey: tronPrivateKeyAt(mnemonic, HOT_WALLET_INDEX) };
  // only loans still out (confirmed delegations not matched by a reclaim signed since): not the whole history
  const delegations = await db().select({ checkoutId: outboundTxs.checkoutId, receiver: outboundTxs.toAddress }).from(outboundTxs).where(and(
    eq(outboundTxs.network, chain.network), eq(outboundTxs.livemode, chain.livemode), inArray(outboundTxs.purpose, ["energy_delegation", "energy_reclaim"]),
    inArray(outboundTxs.status, ["signed", "broadcast", "confirmed"]),
  )).groupBy(outboundTxs.checkoutId, outboundTxs.toAddress).having(sql`sum(case when ${outboundTxs.purpose} = 'energy_reclaim' then -${outboundTxs.amount}
    when ${outboundTxs.status} = 'confirmed' then ${outboundTxs.amount} else 0 end) > 0`);
  for (const { checkoutId, receiver } of delegations) {
    if (!checkoutId) continue;
    try {
      await reclaim(sender, hot, checkoutId, receiver);
    } catch (err) {
      logger.warn({ network: chain.key, sessionId: checkoutId, receiver, err: err instanceof Error ? err.message : String(err) }, "energy reclaim failed; will retry");
    }
  }
  if (chain.tron && chain.tron.stakeSun > 0n) {
    try {
      await keepStaked(sender, hot, chain.tron.stakeSun);
    } catch (err) {
      logger.warn({ network: chain.key, err: err instanceof Error ? err.message : String(err) }, "staking for energy failed; will retry");
    }
  }
}

/** Whether the energy lent to `receiver` for the checkout may be taken back: its transfer is final (or the loan is old). */
async function loanDone(exec: Executor, chain: ChainConfig, checkoutId: string, receiver: string, since: OutboundRow): Promise<boolean> {
  const own = await exec.select({ status: outboundTxs.status, createdAt: outboundTxs.createdAt }).from(outboundTxs).where(and(
    eq(outboundTxs.checkoutId, checkoutId), eq(outboundTxs.network, chain.network), eq(outboundTxs.livemode, chain.livemode), eq(outboundTxs.fromAddress, receiver),
  ));
  if (own.some((r) => r.status === "signed" || r.status === "broadcast")) return false;
  return own.some((r) => (r.status === "confirmed" || r.status === "failed") && r.createdAt >= since.createdAt)
    || Date.now() - since.createdAt.getTime() > LOAN_MAX_AGE_MS;
}

async function reclaim(sender: TronGridSender, hot: Signer, checkoutId: string, receiver: string): Promise<void> {
  const { chain } = sender;
  const state = await loans(db(), chain, checkoutId, receiver);
  if (state.inFlight || state.outstanding <= 0n || !state.lastDelegation) return;
  if (!(await loanDone(db(), chain, checkoutId, receiver, state.lastDelegation))) return;
  const row = await sender.signAndRecordLoan({
    chain, account: hot.account, privateKey: hot.privateKey!, merchantId: state.lastDelegation.merchantId, checkoutId,
    purpose: "energy_reclaim", to: wireAddress(receiver) as Address, amount: state.outstanding,
    guard: fenced(async (tx) => {
      const now = await loans(tx, chain, checkoutId, receiver);
      return !now.inFlight && now.outstanding === state.outstanding;
    }),
  });
  if (!row) return;
  logger.info({ network: chain.key, sessionId: checkoutId, receiver, txHash: row.txHash, stakedSun: state.outstanding.toString() }, "energy reclaimed from the receiver");
  await sender.broadcast(row);
}

/** A stake broadcast and not yet seen on chain, per network: no second one meanwhile. */
const pendingStakes = new Map<string, { txID: string; expiration: number }>();
/** When the stake was last found complete, per network: read again a minute later, not on every pass. */
const stakeCheckedAt = new Map<string, number>();
const STAKE_CHECK_MS = 60_000;

/**
 * Stakes what the hot wallet lacks of `target` sun for energy (FreezeBalanceV2): idempotent, it
 * counts what is staked already (lent energy included) and a stake still on its way. A stake is
 * the instance's own TRX moving from its balance to its stake (no merchant's, no outbound row).
 */
async function keepStaked(sender: TronGridSender, hot: Signer, target: bigint): Promise<void> {
  const { chain, client } = sender;
  const log = logger.child({ network: chain.key });
  const pending = pendingStakes.get(chain.key);
  if (pending) {
    const info = await client.txInfo(pending.txID);
    if (!info && (await client.solidBlock()).timestamp * 1000 <= pending.expiration) return;
    pendingStakes.delete(chain.key);
    if (info && !info.success) log.warn({ txHash: `0x${pending.txID}`, result: info.result }, "staking for energy failed on chain");
  } else if (Date.now() - (stakeCheckedAt.get(chain.key) ?? 0) < STAKE_CHECK_MS) {
    return;
  }
  const owner = hexToTron(wireAddress(hot.account.address));
  const account = await client.account(owner);
  if (!account) return;
  const staked = account.stakedForEnergy + account.delegatedEnergy;
  if (staked >= target) {
    stakeCheckedAt.set(chain.key, Date.now());
    return;
  }
  stakeCheckedAt.delete(chain.key);
  const amount = target - staked;
  if (account.balance < amount + TRON_BANDWIDTH_SUN) {
    log.warn({ hotWallet: owner, balanceSun: account.balance.toString(), stakedSun: staked.toString(), targetSun: target.toString() }, "the hot wallet holds too little TRX to stake TRON_STAKE_TRX for energy");
    return;
  }
  const [ref, { buildResourceTx, signTronTransaction }] = await Promise.all([client.nowBlock(), import("./tx")]);
  const signed = signTronTransaction(buildResourceTx({ kind: "stake", owner, balance: amount, ref, now: Date.now() }), hot.privateKey!);
  pendingStakes.set(chain.key, { txID: signed.txID, expiration: signed.raw_data.expiration });
  const answer = await client.broadcast(signed);
  if (!answer.ok) {
    pendingStakes.delete(chain.key);
    log.warn({ code: answer.code, err: answer.message }, "staking for energy refused; will retry");
    return;
  }
  log.info({ hotWallet: owner, txHash: `0x${signed.txID}`, stakedSun: staked.toString(), addedSun: amount.toString(), targetSun: target.toString() }, "staked TRX for energy");
}
