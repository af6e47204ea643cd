// Tron-native transactions, built and signed offline with tronweb (no node involved): TRC-20
// transfers (TriggerSmartContract calling transfer(address,uint256)) and TRX transfers
// (TransferContract). The transaction id is sha256 of the protobuf raw_data; the signature is
// secp256k1 over that id, so the signer can be recovered from the transaction alone.
import { utils } from "tronweb";
import { encodeFunctionData, erc20Abi } from "viem";
import { hexToTron, tronToHex } from "@/lib/chains/tron/address";

/** The block a transaction refers to (TAPOS): its height and its 32-byte id (0x hex, as Tron's JSON-RPC returns it). */
export type RefBlock = { number: number; hash: `0x${string}`; timestamp: number };

export type TronTransaction = {
  visible: false;
  txID: string;
  raw_data: {
    contract: { parameter: { value: Record<string, string | number | boolean>; type_url: string }; type: TronContractType }[];
    ref_block_bytes: string;
    ref_block_hash: string;
    expiration: number;
    timestamp: number;
    fee_limit?: number;
  };
  raw_data_hex: string;
  signature?: string[];
};

export type TronContractType = "TriggerSmartContract" | "TransferContract" | "FreezeBalanceV2Contract" | "DelegateResourceContract" | "UnDelegateResourceContract";

/** How long a signed transaction stays valid after its reference block (Tron allows up to 24 h; nodes default to 60 s). */
export const TRON_TX_LIFETIME_MS = 10 * 60_000;

const hex41 = (base58: string) => `41${tronToHex(base58).slice(2)}`;

function refFields(ref: RefBlock) {
  const height = BigInt(ref.number).toString(16).padStart(16, "0");
  return {
    // bytes 6..8 of the 8-byte big-endian height, and bytes 8..16 of the block id
    ref_block_bytes: height.slice(12, 16),
    ref_block_hash: ref.hash.replace(/^0x/, "").slice(16, 32),
  };
}

function finish(raw: TronTransaction["raw_data"]): TronTransaction {
  const tx = { visible: false as const, txID: "", raw_data: raw, raw_data_hex: "" };
  const pb = utils.transaction.txJsonToPb(tx);
  tx.raw_data_hex = utils.transaction.txPbToRawDataHex(pb);
  tx.txID = utils.transaction.txPbToTxID(pb).replace(/^0x/, "");
  return tx;
}

export type TransferInput = {
  /** base58check addresses */
  from: string;
  to: string;
  /** TRC-20 contract (base58check); null for TRX */
  token: string | null;
  /** base units (sun for TRX) */
  amount: bigint;
  /** the most TRX (in sun) the transaction may burn for energy; TRC-20 only */
  feeLimit?: bigint;
  ref: RefBlock;
  /** ms since epoch; defaults to the reference block's time */
  now?: number;
};

/** An unsigned transfer transaction with its txID and raw_data_hex. */
export function buildTransfer(input: TransferInput): TronTransaction {
  const timestamp = input.now ?? input.ref.timestamp * 1000;
  const common = { ...refFields(input.ref), expiration: timestamp + TRON_TX_LIFETIME_MS, timestamp };
  if (input.token === null) {
    if (input.amount > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error("TRX amount too large");
    return finish({
      contract: [{
        parameter: { value: { owner_address: hex41(input.from), to_address: hex41(input.to), amount: Number(input.amount) }, type_url: "type.googleapis.com/protocol.TransferContract" },
        type: "TransferContract",
      }],
      ...common,
    });
  }
  const data = encodeFunctionData({ abi: erc20Abi, functionName: "transfer", args: [tronToHex(input.to), input.amount] }).slice(2);
  const feeLimit = input.feeLimit ?? 0n;
  if (feeLimit <= 0n || feeLimit > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error("a TRC-20 transfer needs a positive fee limit");
  return finish({
    contract: [{
      parameter: { value: { owner_address: hex41(input.from), contract_address: hex41(input.token), data }, type_url: "type.googleapis.com/protocol.TriggerSmartContract" },
      type: "TriggerSmartContract",
    }],
    ...common,
    fee_limit: Number(feeLimit),
  });
}

/**
 * Stake 2.0, resource ENERGY: `stake` freezes `balance` sun of the owner's TRX for energy
 * (FreezeBalanceV2Contract); `delegate` lends `receiver` the energy of `balance` sun of the owner's
 * staked TRX (DelegateResourceContract, unlocked: reclaimable at once); `undelegate` takes it back
 * (UnDelegateResourceContract).
 */
export type ResourceInput = {
  kind: "stake" | "delegate" | "undelegate";
  owner: string;
  receiver?: string;
  balance: bigint;
  ref: RefBlock;
  now?: number;
};

const RESOURCE_CONTRACT = { stake: "FreezeBalanceV2Contract", delegate: "DelegateResourceContract", undelegate: "UnDelegateResourceContract" } as const;

export function buildResourceTx(input: ResourceInput): TronTransaction {
  if (input.balance <= 0n || input.balance > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error("a staking amount must be positive sun");
  const timestamp = input.now ?? input.ref.timestamp * 1000;
  const type = RESOURCE_CONTRACT[input.kind];
  const value: Record<string, string | number | boolean> = { owner_address: hex41(input.owner), resource: "ENERGY" };
  if (input.kind === "stake") value.frozen_balance = Number(input.balance);
  else {
    if (!input.receiver) throw new Error(`${type} needs a receiver`);
    value.receiver_address = hex41(input.receiver);
    value.balance = Number(input.balance);
    if (input.kind === "delegate") value.lock = false;
  }
  return finish({
    contract: [{ parameter: { value, type_url: `type.googleapis.com/protocol.${type}` }, type }],
    ...refFields(input.ref), expiration: timestamp + TRON_TX_LIFETIME_MS, timestamp,
  });
}

/** Signs offline with a secp256k1 private key (0x hex); returns a new object. */
export function signTronTransaction(tx: TronTransaction, privateKey: `0x${string}`): TronTransaction {
  const signature = utils.crypto.ECKeySign(Buffer.from(tx.txID, "hex"), Buffer.from(privateKey.slice(2), "hex"));
  return { ...tx, raw_data: structuredClone(tx.raw_data), signature: [signature] };
}

/** The base58check address that signed the transaction (recovered from its txID and signature), after checking the txID matches raw_data. */
export function recoverTronSigner(tx: TronTransaction): string {
  const sig = tx.signature?.[0];
  if (!sig) throw new Error("transaction is not signed");
  const pb = utils.transaction.txJsonToPb(tx);
  const txID = utils.transaction.txPbToTxID(pb).replace(/^0x/, "");
  if (txID !== tx.txID) throw new Error("txID does not match raw_data");
  if (utils.transaction.txPbToRawDataHex(pb) !== tx.raw_data_hex) throw new Error("raw_data_hex does not match raw_data");
  const recovered = utils.crypto.ecRecover(txID, sig); // "41" + 20-byte hex
  return hexToTron(recovered.toLowerCase());
}
