// A Solana payment request's reference key: a fresh random public key (Solana Pay), stored as a
// receiver of family "solana" (unique on family and address: two sessions can never share a
// reference) with its request details. The receiver's index comes from the shared sequence like
// every receiver's; a reference is not derived from it.
import { Keypair } from "@solana/web3.js";
import { sql } from "drizzle-orm";
import { receivers, solanaPaymentRequests } from "@/db/schema";
import type { Tx } from "@/lib/events/emit";

export type NewSolanaRequest = {
  merchantId: string;
  livemode: boolean;
  checkoutId: string;
  watchUntil: Date;
  recipient: string;
  mint: string | null;
  assetCode: string;
  amount: bigint;
  payer: string | null;
};

export type SolanaRequestRow = typeof solanaPaymentRequests.$inferSelect;

export async function createSolanaRequest(tx: Tx, input: NewSolanaRequest): Promise<SolanaRequestRow> {
  const reference = Keypair.generate().publicKey.toBase58();
  const { rows } = await tx.execute<{ index: string }>(sql`select nextval('receiver_index_seq')::text as index`);
  const [receiver] = await tx.insert(receivers).values({
    merchantId: input.merchantId, livemode: input.livemode, family: "solana", address: reference,
    derivationIndex: BigInt(rows[0].index), checkoutId: input.checkoutId, watchUntil: input.watchUntil,
  }).returning();
  const [row] = await tx.insert(solanaPaymentRequests).values({
    receiverId: receiver.id, checkoutId: input.checkoutId, reference, recipient: input.recipient,
    mint: input.mint, assetCode: input.assetCode, amount: input.amount, payer: input.payer,
  }).returning();
  return row;
}
