// What a Solana transaction paid to a payment request's recipient, read from the balances the
// node reports before and after it (never from the instructions, which a sender controls):
//   SPL: the recipient-owned token accounts' pre/post token balances, per accepted mint;
//   SOL: the recipient's pre/post lamports.
// Only accepted mints count as credits: a token someone minted and named "USDC" is ignored, as is
// any transfer to another recipient that merely carries the reference.
import type { ConfirmedTransactionMeta, VersionedTransactionResponse } from "@solana/web3.js";
import type { SolanaAsset } from "./assets";

export type SolanaCredit = {
  signature: string;
  /** the recipient token account's index in the transaction's account keys; -1 for SOL */
  accountIndex: number;
  slot: number;
  blockTime: Date;
  from: string | null;
  to: string;
  mint: string | null;
  assetCode: string;
  amount: bigint;
};

export function creditsOf(
  tx: Pick<VersionedTransactionResponse, "slot" | "blockTime" | "meta" | "transaction">,
  recipient: string,
  assets: readonly SolanaAsset[],
): SolanaCredit[] {
  return creditsFrom({
    signature: tx.transaction.signatures[0], slot: tx.slot, blockTime: tx.blockTime ?? null, meta: tx.meta,
    keys: tx.transaction.message.staticAccountKeys.map((k) => k.toBase58()),
  }, recipient, assets);
}

/** A transaction as a block or getTransaction reports it: its account keys (static, then loaded) in the order of its balances. */
export type SolanaTxView = { signature: string; slot: number; blockTime: number | null; meta: ConfirmedTransactionMeta | null; keys: readonly string[] };

/**
 * creditsOf over any view of a transaction. `solIndex` "key": a SOL credit is numbered by the
 * recipient's account index (deposit addresses: several may be paid in one transaction) rather
 * than -1 (a Solana Pay request's one recipient).
 */
export function creditsFrom(tx: SolanaTxView, recipient: string, assets: readonly SolanaAsset[], opts: { solIndex?: "key" } = {}): SolanaCredit[] {
  const meta = tx.meta;
  if (!meta || meta.err) return [];
  const { keys, signature } = tx;
  const blockTime = new Date((tx.blockTime ?? Math.floor(Date.now() / 1000)) * 1000);
  const feePayer = keys[0] ?? null;
  const out: SolanaCredit[] = [];

  const pre = meta.preTokenBalances ?? [];
  for (const post of meta.postTokenBalances ?? []) {
    if (post.owner !== recipient) continue;
    const asset = assets.find((a) => a.mint !== null && a.mint === post.mint);
    if (!asset) continue;
    const before = pre.find((p) => p.accountIndex === post.accountIndex);
    const amount = BigInt(post.uiTokenAmount.amount) - BigInt(before?.uiTokenAmount.amount ?? "0");
    if (amount <= 0n) continue;
    // the payer: whoever's balance of that mint went down (else the fee payer)
    const source = pre.find((p) => p.mint === post.mint && p.owner !== recipient &&
      BigInt(p.uiTokenAmount.amount) > BigInt((meta.postTokenBalances ?? []).find((q) => q.accountIndex === p.accountIndex)?.uiTokenAmount.amount ?? "0"));
    out.push({
      signature, accountIndex: post.accountIndex, slot: tx.slot, blockTime, from: source?.owner ?? feePayer, to: recipient,
      mint: asset.mint, assetCode: asset.code, amount,
    });
  }

  const sol = assets.find((a) => a.mint === null);
  const i = keys.indexOf(recipient);
  if (sol && i > 0) {
    const amount = BigInt(meta.postBalances[i] ?? 0) - BigInt(meta.preBalances[i] ?? 0);
    if (amount > 0n) out.push({ signature, accountIndex: opts.solIndex === "key" ? i : -1, slot: tx.slot, blockTime, from: feePayer, to: recipient, mint: null, assetCode: sol.code, amount });
  }
  return out;
}
