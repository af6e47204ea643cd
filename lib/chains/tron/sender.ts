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
import { evmClient } from "@/lib/chains/evm/client";
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

export class TronGridSender implements TronSender {
  readonly kind = "trongrid" as const;
  readonly client: TronGridClient;
  constructor(readonly chain: ChainConfig, client?: TronGridClient) {
    if (!chain.tron) throw new Error(`${chain.key} has no Tron send configuration`);
    this.client = client ?? new TronGridClient({ apiUrl: chain.tron.apiUrl, apiKey: chain.tron.apiKey });
  }

  async signAndRecord(req: TronSendRequest): Promise<OutboundRow | null> {
    const { chain } = this;
    const from = getAddress(req.account.address);
    // Energy is paid by burning TRX up to fee_limit; what the receiver was funded with is that limit.
    const feeLimit = req.token === null ? undefined : (req.gas ?? 0n) * (req.fees?.maxFeePerGas ?? 0n);
    const [ref, { buildTransfer, signTronTransaction }] = await Promise.all([this.client.nowBlock(), import("./tx")]);
    return db().transaction(async (tx) => {
      await lockSender(tx, chain, from);
      if (req.guard && !(await req.guard(tx))) return null;
      const unsigned = buildTransfer({
        from: hexToTron(from), to: hexToTron(req.to), token: req.token && hexToTron(req.token), amount: req.amount, feeLimit, ref, now: Date.now(),
      });
      const signed = signTronTransaction(unsigned, req.privateKey);
      const store = (a: string) => storedAddress("tron", a);
      const [row] = await tx.insert(outboundTxs).values({
        merchantId: req.merchantId, livemode: chain.livemode, network: chain.network, chainId: chain.chainId,
        purpose: req.purpose, checkoutId: req.checkoutId, fromAddress: store(from), toAddress: store(req.to),
        tokenAddress: req.token && store(req.token), amount: req.amount,
        // Tron has no nonces: a transaction is unique by its txID and valid until its expiration
        nonce: null, signedTx: JSON.stringify(signed), txHash: `0x${signed.txID}`, status: "signed", withdrawalId: req.withdrawalId ?? null,
        feeAsset: nativeAssetCode(chain.network),
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

  async reconcile(): Promise<void> {
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
        if (info.success) {
          await settle(row.id, { status: "confirmed", feePaid: info.fee, error: null });
          log.info({ block: info.blockNumber, feeSun: info.fee.toString() }, "transaction confirmed");
        } else {
          await settle(row.id, { status: "failed", feePaid: info.fee, error: `${REVERTED} on chain in block ${info.blockNumber} (${info.result})` });
          log.warn({ block: info.blockNumber, result: info.result }, "transaction failed on chain");
        }
      } catch (err) {
        log.warn({ err: errorMessage(err) }, "reconcile failed; will retry");
      }
    }
  }

  /** Energy price (sun per unit) from the node's eth_gasPrice, which Tron's JSON-RPC answers with it; plus bandwidth. */
  async fees(): Promise<TronFees> {
    const price = await evmClient(this.chain).getGasPrice();
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
