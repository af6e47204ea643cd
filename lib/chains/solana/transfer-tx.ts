// The transaction a Solana payment request asks the payer's wallet to sign (API.md §1): fee
// payer = the payer, one transfer of the amount straight to the merchant's wallet — SPL
// transferChecked into the recipient's associated token account (created idempotently when it
// does not exist yet) or a SystemProgram transfer for SOL — with the reference key appended to
// the transfer instruction as a read-only, non-signer account (Solana Pay), so the transaction
// can be found by getSignaturesForAddress(reference).
import {
  createAssociatedTokenAccountIdempotentInstruction, createTransferCheckedInstruction, getAssociatedTokenAddressSync,
} from "@solana/spl-token";
import { PublicKey, SystemProgram, Transaction, type Connection } from "@solana/web3.js";
import type { SolanaAsset } from "./assets";
import { solanaPayUri } from "./prompt";

export type TransferRequest = {
  payer: string;
  recipient: string;
  reference: string;
  asset: SolanaAsset;
  /** base units of the asset */
  amount: bigint;
};

/** The unsigned transaction, serialized and hex-encoded (API.md: `serializedTx` is hex). */
export async function buildTransferTx(conn: Connection, req: TransferRequest): Promise<string> {
  const payer = new PublicKey(req.payer);
  const recipient = new PublicKey(req.recipient);
  const reference = new PublicKey(req.reference);
  const { blockhash, lastValidBlockHeight } = await conn.getLatestBlockhash("confirmed");
  const tx = new Transaction({ feePayer: payer, blockhash, lastValidBlockHeight });
  if (req.asset.mint === null) {
    const ix = SystemProgram.transfer({ fromPubkey: payer, toPubkey: recipient, lamports: req.amount });
    ix.keys.push({ pubkey: reference, isSigner: false, isWritable: false });
    tx.add(ix);
  } else {
    const mint = new PublicKey(req.asset.mint);
    const source = getAssociatedTokenAddressSync(mint, payer, true);
    const destination = getAssociatedTokenAddressSync(mint, recipient, true);
    if (!(await conn.getAccountInfo(destination, "confirmed"))) {
      tx.add(createAssociatedTokenAccountIdempotentInstruction(payer, destination, recipient, mint));
    }
    const ix = createTransferCheckedInstruction(source, mint, destination, payer, req.amount, req.asset.decimals);
    ix.keys.push({ pubkey: reference, isSigner: false, isWritable: false });
    tx.add(ix);
  }
  return tx.serialize({ requireAllSignatures: false, verifySignatures: false }).toString("hex");
}

/** A Solana Pay transfer-request URL for mobile wallets (same recipient, amount, mint and reference). */
export function solanaPayUrl(req: Omit<TransferRequest, "payer"> & { label?: string; message?: string }): string {
  return solanaPayUri({
    receiver: req.recipient, token: req.asset.mint, decimals: req.asset.decimals, units: req.amount,
    memo: req.reference, label: req.label, message: req.message,
  });
}
