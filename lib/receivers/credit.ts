// What the deposits to a checkout's receivers count for, in the destination token's base units.
// A deposit counts when it is the destination token itself, or a USD stablecoin on any EVM
// network while the destination is one too (1:1, scaled exactly between decimals). Native coins
// never count. Amounts due round up, credits round down (DOMAIN.md "Money").
import { networkSpec, type AssetSpec } from "@/lib/config/networks";

const USD_STABLECOINS = new Set(["USDC", "USDT"]);

export type CreditDeposit = {
  network: string;
  /** null for the native coin */
  tokenAddress: string | null;
  assetCode: string;
  amount: bigint;
  status: "seen" | "confirmed" | "reverted";
};

/** The token a checkout is paid in. */
export type CreditDestination = { network: string; tokenAddress: string; tokenSymbol: string; tokenDecimals: number };

/** The asset row of a deposit's currency code on its network. */
export function depositAsset(network: string, assetCode: string): AssetSpec | undefined {
  return networkSpec(network)?.assets.find((a) => a.code === assetCode);
}

/** Whether a token of `symbol` on `network` pays a destination 1:1 (not whether it is configured). */
export function tokenCounts(dest: CreditDestination, token: { network: string; address: string; symbol: string }): boolean {
  if (token.network === dest.network && token.address.toLowerCase() === dest.tokenAddress.toLowerCase()) return true;
  return networkSpec(token.network)?.family === "evm" && USD_STABLECOINS.has(token.symbol) && USD_STABLECOINS.has(dest.tokenSymbol);
}

/** The decimals a deposit is credited at, or null when it does not count toward the destination. */
export function creditDecimals(dest: CreditDestination, d: CreditDeposit): number | null {
  if (d.status === "reverted" || d.tokenAddress === null) return null;
  const asset = depositAsset(d.network, d.assetCode);
  if (!asset || asset.standard === "native") return null;
  return tokenCounts(dest, { network: d.network, address: d.tokenAddress, symbol: asset.asset }) ? asset.decimals : null;
}

/** `amount` of a `from`-decimals token in `to`-decimals base units, rounded as asked when scaling down. */
export function rescale(amount: bigint, from: number, to: number, round: "up" | "down"): bigint {
  if (to >= from) return amount * 10n ** BigInt(to - from);
  const f = 10n ** BigInt(from - to);
  const q = amount / f;
  return round === "up" && q * f !== amount ? q + 1n : q;
}

/** Paid, remaining and overpaid amounts, in the destination token's base units. */
export type PaymentProgress = { paid: bigint; remaining: bigint; overpaid: bigint };

export function paymentProgress(dest: CreditDestination, amountDue: bigint, deposits: readonly CreditDeposit[]): PaymentProgress {
  const counted: Array<[bigint, number]> = [];
  for (const d of deposits) {
    const decimals = creditDecimals(dest, d);
    if (decimals !== null) counted.push([d.amount, decimals]);
  }
  // Sum at the finest precision involved, so mixing 6- and 18-decimal tokens loses nothing until the end.
  const scale = Math.max(dest.tokenDecimals, ...counted.map(([, dec]) => dec));
  const paidS = counted.reduce((sum, [amount, dec]) => sum + rescale(amount, dec, scale, "down"), 0n);
  const dueS = rescale(amountDue, dest.tokenDecimals, scale, "down");
  const down = (v: bigint) => rescale(v, scale, dest.tokenDecimals, "down");
  return {
    paid: down(paidS),
    remaining: dueS > paidS ? rescale(dueS - paidS, scale, dest.tokenDecimals, "up") : 0n,
    overpaid: paidS > dueS ? down(paidS - dueS) : 0n,
  };
}
