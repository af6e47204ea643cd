// How our signed transactions reach Tron. One interface, two implementations chosen by the
// network's config (TRON_SENDER / TRON_TEST_SENDER):
//   trongrid  Tron-native transactions (TriggerSmartContract / TransferContract) built and signed
//             offline with tronweb, broadcast through a TronGrid-compatible HTTP API — mainnet, Nile.
//   jsonrpc   EVM-signed transactions through eth_sendRawTransaction: what the anvil-backed Tron
//             devnet accepts (a real Tron node's JSON-RPC has no eth_sendRawTransaction).
// Both follow the sender rule: the signed transaction is committed to outbound_txs before it is
// broadcast, and reconcile() drives every recorded one to confirmed (with the fee it cost) or failed.
import { and, eq, inArray } from "drizzle-orm";
import { getAddress, type Hex } from "viem";
import { outboundTxs } from "@/db/schema";
import { storedAddress } from "@/lib/addresses";
import { hexToTron } from "@/lib/chains/tron/address";
import { lockSender } from "@/lib/chains/evm/nonce";
import {
  broadcast as evmBroadcast, DROPPED, errorMessage, estimateFees, markBroadcast, reconcile as evmReconcile, REVERTED, settle,
  signAndRecord as evmSignAndRecord, type Fees, type OutboundRow, type ReconcileOptions, type SendRequest,
} from "@/lib/chains/evm/sender";
import type { ChainConfig } from "@/lib/config";
import { nativeAssetCode } from "@/lib/config/networks";
import { db } from "@/lib/db/client";
import { logger } from "@/lib/log/logger";
import { TronGridClient } from "./trongrid";
// tronweb (./tx) is heavy: loaded only when a TronGrid sender signs, never by the devnet's JSON-RPC sender
import type { RefBlock, TronTransaction } from "./tx";

/** A transfer to sign: the EVM request plus the signer's private key (the TronGrid path signs with tronweb). */
export type TronSendRequest = SendRequest & { privateKey: Hex };

export type BroadcastResult = "sent" | "nonce_too_low" | "error";

/** What a transfer costs: `fees.maxFeePerGas` per unit of gas (Tron: energy, in sun) plus a fixed `extra` (Tron: bandwidth). */
export type TronFees = { fees: Fees; extra: bigint };

export type TronSender = {
  readonly kind: "trongrid" | "jsonrpc";
  /** Signs and commits the transaction as an outbound_txs row (status `signed`); null when the guard declined. */
  signAndRecord(req: TronSendRequest): Promise<OutboundRow | null>;
  broadcast(row: OutboundRow): Promise<BroadcastResult>;
  /** Moves every signed/broadcast row of the network one step towards confirmed or failed (with the mnemonic: replacing stuck ones where the family can). */
  reconcile(opts?: ReconcileOptions): Promise<void>;
  fees(): Promise<TronFees>;
};

export class JsonRpcTronSender implements TronSender {
  readonly kind = "jsonrpc" as const;
  constructor(readonly chain: ChainConfig) {}
  signAndRecord(req: TronSendRequest): Promise<OutboundRow | null> {
    return evmSignAndRecord(req);
  }
  broadcast(row: OutboundRow): Promise<BroadcastResult> {
    return evmBroadcast(this.chain, row);
  }
  reconcile(opts?: ReconcileOptions): Promise<void> {
    return evmReconcile(this.chain, opts);
  }
  async fees(): Promise<TronFees> {
    return { fees: await estimateFees(this.chain), extra: 0n };
  }
}

/** Bandwidth a transfer may burn when the account has no free bandwidth left: ~350 bytes at 1,000 sun per byte, rounded up. */
export const TRON_BANDWIDTH_SUN = 400_000n;

const ALREADY_KNOWN = /DUP_TRANSACTION_ERROR/;

/**
 * A TriggerSmartContract's fee_limit: the most TRX (sun) it may burn, which also caps the energy it
 * may use in all (staked and delegated energy included): `energy` at `energyFee` sun per unit
 * (getEnergyFee). Throws when either is not positive (a fee limit of 0 makes every call fail).
 */
export function tronFeeLimit(energy: bigint, energyFee: bigint): bigint {
  if (energy <= 0n || energyFee <= 0n) throw new Error(`a TRC-20 call needs positive energy and energy price, got ${energy} energy at ${energyFee} sun`);
  return energy * energyFee;
}

export class TronGridSender implements TronSender {
  readonly kind = "trongrid" as const;
  readonly client: TronGridClient;
  constructor(readonly chain: ChainConfig, client?: TronGridClient) {
    if (!chain.tron) throw new Error(`${chain.key} has no Tron send configuration`);
    this.client = client ?? new TronGridClient({ apiUrl: chain.tron.apiUrl, apiKey: chain.tron.apiKey });
  }

  async signAndRecord(req: TronSendRequest): Promise<OutboundRow | null> {
    const from = getAddress(req.account.address);
    // fee_limit caps the energy (staked, delegated, or bought by burning TRX) at the chain's energy price: gas × getEnergyFee
    const feeLimit = req.token === null ? undefined : tronFeeLimit(req.gas ?? 0n, req.fees?.maxFeePerGas ?? 0n);
    const { buildTransfer } = await import("./tx");
    return this.record(req, (ref) => buildTransfer({
      from: hexToTron(from), to: hexToTron(req.to), token: req.token && hexToTron(req.token), amount: req.amount, feeLimit, ref, now: Date.now(),
    }));
  }

  /**
   * Stake 2.0 energy loans of the hot wallet (./energy): lends `to` the energy of `amount` sun of
   * staked TRX (energy_delegation) or takes it back (energy_reclaim), recorded like a transfer
   * (token null, amount the staked sun, which does not move).
   */
  async signAndRecordLoan(req: Omit<TronSendRequest, "token" | "gas" | "fees" | "purpose"> & { purpose: "energy_delegation" | "energy_reclaim" }): Promise<OutboundRow | null> {
    const { buildResourceTx } = await import("./tx");
    return this.record({ ...req, token: null }, (ref) => buildResourceTx({
      kind: req.purpose === "energy_delegation" ? "delegate" : "undelegate",
      owner: hexToTron(getAddress(req.account.address)), receiver: hexToTron(req.to), balance: req.amount, ref, now: Date.now(),
    }));
  }

  /** Signs what `build` makes and commits it as an outbound_txs row (status `signed`) under the signer's lock; null when the guard declined. */
  private async record(req: TronSendRequest, build: (ref: RefBlock) => TronTransaction): Promise<OutboundRow | null> {
    const { chain } = this;
    const from = getAddress(req.account.address);
    const [ref, { signTronTransaction }] = await Promise.all([this.client.nowBlock(), import("./tx")]);
    return db().transaction(async (tx) => {
      await lockSender(tx, chain, from);
      if (req.guard && !(await req.guard(tx))) return null;
      const signed = signTronTransaction(build(ref), req.privateKey);
      const store = (a: string) => storedAddress("tron", a);
      const [row] = await tx.insert(outboundTxs).values({
        merchantId: req.merchantId, livemode: chain.livemode, network: chain.network, chainId: chain.chainId,
        purpose: req.purpose, checkoutId: req.checkoutId, fromAddress: store(from), toAddress: store(req.to),
        tokenAddress: req.token && store(req.token), amount: req.amount,
        // Tron has no nonces: a transaction is unique by its txID and valid until its expiration
        nonce: null, signedTx: JSON.stringify(signed), txHash: `0x${signed.txID}`, status: "signed", withdrawalId: req.withdrawalId ?? null,
        feeAsset: nativeAssetCode(chain.network), feeFromAmount: req.feeFromAmount ?? false,
      }).returning();
      return row;
    });
  }

  async broadcast(row: OutboundRow): Promise<BroadcastResult> {
    if (!row.signedTx) throw new Error(`outbound tx ${row.id} has no signed transaction`);
    const log = logger.child({ network: this.chain.key, outboundId: row.id, purpose: row.purpose, txHash: row.txHash });
    try {
      const answer = await this.client.broadcast(JSON.parse(row.signedTx) as TronTransaction);
      if (!answer.ok && !ALREADY_KNOWN.test(answer.code)) {
        log.warn({ code: answer.code, err: answer.message }, "broadcast refused; will retry");
        await db().update(outboundTxs).set({ error: `broadcast: ${answer.code} ${answer.message}`.slice(0, 500) })
          .where(and(eq(outboundTxs.id, row.id), eq(outboundTxs.status, row.status)));
        return "error";
      }
    } catch (err) {
      log.warn({ err: errorMessage(err) }, "broadcast failed; will retry");
      return "error";
    }
    await markBroadcast(row.id);
    log.info("transaction broadcast");
    return "sent";
  }

  /** Follows every recorded transaction; with the mnemonic, then the hot wallet's energy upkeep (./energy: reclaiming lent energy, staking TRON_STAKE_TRX). */
  async reconcile(opts: ReconcileOptions = {}): Promise<void> {
    await this.follow();
    if (opts.mnemonic) {
      const { energyUpkeep } = await import("./energy");
      await energyUpkeep(this, opts.mnemonic);
    }
  }

  private async follow(): Promise<void> {
    const { chain } = this;
    const rows = await db().select().from(outboundTxs).where(and(
      eq(outboundTxs.network, chain.network), eq(outboundTxs.livemode, chain.livemode), inArray(outboundTxs.status, ["signed", "broadcast"]),
    ));
    if (rows.length === 0) return;
    const head = (await this.client.nowBlock()).number;
    const depth = Math.max(1, chain.confirmations);
    let solid: Promise<RefBlock> | undefined;
    for (const row of rows) {
      const log = logger.child({ network: chain.key, outboundId: row.id, purpose: row.purpose, txHash: row.txHash });
      try {
        const signed = JSON.parse(row.signedTx ?? "{}") as TronTransaction;
        const info = await this.client.txInfo(signed.txID);
        if (!info) {
          // Expired only by the chain's word, never by our clock or one empty answer: a block can
          // include the transaction only before its expiration, so once the node's solidified
          // block is past it and the node (which holds every block up to that one) has no record
          // of it, no block ever will. A node that lags has an older solidified block: we wait.
          solid ??= this.client.solidBlock();
          const expiredOnChain = (await solid).timestamp * 1000 > signed.raw_data.expiration;
          if (expiredOnChain && !(await this.client.knows(signed.txID))) {
            await settle(row.id, { status: "failed", error: `${DROPPED}: expired before it was included in a block (solidified block ${(await solid).number} is past its expiration)` });
            log.warn({ solidBlock: (await solid).number }, "transaction expired unconfirmed");
          } else if (!expiredOnChain) {
            await this.broadcast(row);
          }
          continue;
        }
        if (head - info.blockNumber + 1 < depth) {
          await markBroadcast(row.id);
          continue;
        }
        // fee_paid: all the TRX burned; beside it the energy and bandwidth the transaction consumed and what of each was burned for
        const cost = { feePaid: info.fee, energyUsed: info.energyUsed, energyFee: info.energyFee, netUsage: info.netUsage, netFee: info.netFee };
        if (info.success) {
          await settle(row.id, { status: "confirmed", ...cost, error: null });
          log.info({ block: info.blockNumber, feeSun: info.fee.toString(), energyUsed: info.energyUsed.toString(), energyFeeSun: info.energyFee.toString() }, "transaction confirmed");
        } else {
          await settle(row.id, { status: "failed", ...cost, error: `${REVERTED} on chain in block ${info.blockNumber} (${info.result})` });
          log.warn({ block: info.blockNumber, result: info.result }, "transaction failed on chain");
        }
      } catch (err) {
        log.warn({ err: errorMessage(err) }, "reconcile failed; will retry");
      }
    }
  }

  /** Energy price (sun per unit: the chain parameter getEnergyFee); plus bandwidth. */
  async fees(): Promise<TronFees> {
    const price = await this.client.energyFee();
    return { fees: { maxFeePerGas: price, maxPriorityFeePerGas: 0n }, extra: TRON_BANDWIDTH_SUN };
  }
}

const senders = new Map<string, TronSender>();

/** The configured sender of a Tron network. */
export function tronSender(chain: ChainConfig): TronSender {
  let s = senders.get(chain.key);
  if (!s) {
    s = chain.tron?.sender === "trongrid" ? new TronGridSender(chain) : new JsonRpcTronSender(chain);
    senders.set(chain.key, s);
  }
  return s;
}
