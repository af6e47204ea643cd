// What a Solana transaction pays a recipient, from the node's pre/post balances (lib/chains/solana/credits),
// and the devnet's fixed mint addresses.
import { Keypair, type VersionedTransactionResponse } from "@solana/web3.js";
import { describe, expect, it } from "vitest";
import type { SolanaAsset } from "@/lib/chains/solana/assets";
import { creditsOf } from "@/lib/chains/solana/credits";
import { solanaPayUrl } from "@/lib/chains/solana/transfer-tx";
import { DEVNET_SOLANA_MINTS, devnetMintAddress } from "@/lib/devnet/solana-constants";

const key = () => Keypair.generate().publicKey;
const USDC = key().toBase58();
const FAKE = key().toBase58();
const ASSETS: SolanaAsset[] = [
  { code: "SOL", asset: "SOL", decimals: 9, mint: null },
  { code: "sUSDC", asset: "USDC", decimals: 6, mint: USDC },
];
const payer = key();
const merchant = key();
const other = key();
const payerAta = key();
const merchantAta = key();

type Bal = { accountIndex: number; mint: string; owner: string; amount: bigint };
function tx(opts: { keys: string[]; pre?: Bal[]; post?: Bal[]; lamports?: [number[], number[]]; err?: unknown }) {
  const tb = (b: Bal) => ({ accountIndex: b.accountIndex, mint: b.mint, owner: b.owner, uiTokenAmount: { amount: b.amount.toString(), decimals: 6, uiAmount: null, uiAmountString: "" } });
  return {
    slot: 7, blockTime: 1_800_000_000,
    transaction: { signatures: ["sig1"], message: { staticAccountKeys: opts.keys.map((k) => ({ toBase58: () => k })) } },
    meta: {
      err: opts.err ?? null, fee: 5000,
      preBalances: opts.lamports?.[0] ?? opts.keys.map(() => 0), postBalances: opts.lamports?.[1] ?? opts.keys.map(() => 0),
      preTokenBalances: (opts.pre ?? []).map(tb), postTokenBalances: (opts.post ?? []).map(tb),
    },
  } as unknown as VersionedTransactionResponse;
}

const keys = [payer, payerAta, merchantAta, merchant].map((k) => k.toBase58());

describe("creditsOf", () => {
  it("credits the recipient's token balance increase of an accepted mint, with the payer as source", () => {
    const t = tx({
      keys,
      pre: [{ accountIndex: 1, mint: USDC, owner: payer.toBase58(), amount: 100n }],
      post: [{ accountIndex: 1, mint: USDC, owner: payer.toBase58(), amount: 40n }, { accountIndex: 2, mint: USDC, owner: merchant.toBase58(), amount: 60n }],
    });
    expect(creditsOf(t, merchant.toBase58(), ASSETS)).toEqual([{
      signature: "sig1", accountIndex: 2, slot: 7, blockTime: new Date(1_800_000_000_000), from: payer.toBase58(), to: merchant.toBase58(),
      mint: USDC, assetCode: "sUSDC", amount: 60n,
    }]);
  });

  it("ignores another mint, another recipient, failed transactions and decreases", () => {
    const post = [{ accountIndex: 2, mint: FAKE, owner: merchant.toBase58(), amount: 60n }];
    expect(creditsOf(tx({ keys, post }), merchant.toBase58(), ASSETS)).toEqual([]);
    const toOther = [{ accountIndex: 2, mint: USDC, owner: other.toBase58(), amount: 60n }];
    expect(creditsOf(tx({ keys, post: toOther }), merchant.toBase58(), ASSETS)).toEqual([]);
    const ok = [{ accountIndex: 2, mint: USDC, owner: merchant.toBase58(), amount: 60n }];
    expect(creditsOf(tx({ keys, post: ok, err: { InstructionError: [0, "Custom"] } }), merchant.toBase58(), ASSETS)).toEqual([]);
    const pre = [{ accountIndex: 2, mint: USDC, owner: merchant.toBase58(), amount: 100n }];
    expect(creditsOf(tx({ keys, pre, post: ok }), merchant.toBase58(), ASSETS)).toEqual([]);
  });

  it("credits SOL from the recipient's lamports, never the fee payer's", () => {
    const t = tx({ keys, lamports: [[10_000, 0, 0, 5], [4_000, 0, 0, 1_005]] });
    expect(creditsOf(t, merchant.toBase58(), ASSETS)).toMatchObject([{ accountIndex: -1, mint: null, assetCode: "SOL", amount: 1000n, from: payer.toBase58() }]);
    expect(creditsOf(t, payer.toBase58(), ASSETS)).toEqual([]);
    expect(creditsOf(t, merchant.toBase58(), ASSETS.filter((a) => a.mint !== null))).toEqual([]);
  });
});

describe("Solana Pay URL and devnet mints", () => {
  it("builds a transfer-request URL", () => {
    const url = solanaPayUrl({ recipient: merchant.toBase58(), reference: other.toBase58(), asset: ASSETS[1], amount: 12_500_000n, label: "Order #1 & co" });
    expect(url).toBe(`solana:${merchant.toBase58()}?amount=12.5&spl-token=${USDC}&reference=${other.toBase58()}&label=Order%20%231%20%26%20co`);
    expect(solanaPayUrl({ recipient: merchant.toBase58(), reference: other.toBase58(), asset: ASSETS[0], amount: 1n })).toBe(`solana:${merchant.toBase58()}?amount=0.000000001&reference=${other.toBase58()}`);
  });

  it("the devnet mint literals are the keys derived from their seeds", () => {
    expect(devnetMintAddress("USDC")).toBe(DEVNET_SOLANA_MINTS.USDC);
    expect(devnetMintAddress("USDT")).toBe(DEVNET_SOLANA_MINTS.USDT);
  });
});
