// Everything the hosted checkout page needs, read on the server through the domain modules: the
// session's public view, the merchant's branding, the ways to pay in the session's mode, and the
// redirect targets. The client secret leaves here only as a prop of this session's own page.
import { cache } from "react";
import { solanaAssets } from "@/lib/chains/solana/assets";
import { tokenCounts } from "@/lib/checkout/payment-summary";
import { isNativeToken } from "@/lib/checkout/native-token";
import { USD_STABLECOINS } from "@/lib/deposits/assets";
import type { CheckoutRow } from "@/lib/checkout/state-machine";
import { chainFamilies, findFamilyOf } from "@/lib/chains/registry";
import { chainFor } from "@/lib/config";
import { settlementKey } from "@/lib/merchants/settlement-networks";
import { getMerchantSettings } from "@/lib/merchants/settings";
import { findCheckoutById } from "@/lib/sessions/get-session";
import { loadPaymentById } from "@/lib/payments/load";
import { serializePayment } from "@/lib/payments/serialize";
import { db } from "@/lib/db/client";
import { sessionView } from "@/lib/sessions/serialize";
import { type FiatAmount, type MerchantBranding, type PublicSession, type SolanaCheckout, type TokenChoice } from "@/components/checkout/types";

export type LoadedCheckout = {
  session: PublicSession;
  clientSecret: string;
  merchant: MerchantBranding;
  choices: TokenChoice[];
  solana: SolanaCheckout | null;
  successUrl: string | null;
  cancelUrl: string | null;
  /** payments (seed 004): the price in the display currency, shown next to the crypto amount */
  fiat: FiatAmount | null;
  /** payments: the deposit currency was chosen with the API; the payer cannot pick another */
  fixedMethod: boolean;
};

const DEFAULT_ACCENT = "#4f46e5";

/** The public branding of a merchant's pages; settlement addresses and the rest of the settings stay on the server. */
export function merchantBranding(settings: Awaited<ReturnType<typeof getMerchantSettings>>): MerchantBranding {
  const accent = settings && /^#[0-9a-f]{6}$/i.test(settings.accentColor) ? settings.accentColor : DEFAULT_ACCENT;
  return { name: settings?.name ?? "", logoUrl: settings?.logoUrl ?? null, accentColor: accent };
}

/** Only http(s) targets ever reach window.location (the API validates too; this is the page's own guard). */
function safeUrl(u: string | null): string | null {
  if (!u) return null;
  try {
    const url = new URL(u);
    return url.protocol === "https:" || url.protocol === "http:" ? url.toString() : null;
  } catch {
    return null;
  }
}

/** What a payer can send to a receiver of ours: each family's assets on its enabled networks of the mode, in registry order (EVM chains, Tron, Solana). */
export function tokenChoices(livemode: boolean): TokenChoice[] {
  return chainFamilies().flatMap((f) => f.tokenChoices?.(livemode) ?? []);
}

/** Solana, when enabled in the session's mode, the merchant has a Solana wallet there and a mint pays the session. */
export function solanaCheckout(row: Pick<CheckoutRow, "livemode" | "network" | "tokenAddress" | "tokenSymbol">, settlement: Record<string, string>): SolanaCheckout | null {
  const chain = chainFor("solana", row.livemode);
  if (!chain?.enabled || !chain.publicRpcUrl || !settlement[settlementKey("solana", row.livemode)]) return null;
  const tokens = solanaAssets(chain).flatMap((a) => (a.mint !== null && tokenCounts(row, { network: chain.network, address: a.mint, symbol: a.asset })
    ? [{ label: a.asset, mint: a.mint, decimals: a.decimals }] : []));
  return tokens.length ? { rpcUrl: chain.publicRpcUrl, tokens } : null;
}

/** The session or payment by id (any merchant: the unguessable id is the capability), or null. */
export const loadCheckout = cache(async (id: string): Promise<LoadedCheckout | null> => {
  const row = await findCheckoutById(id);
  if (!row) return null;
  let fiat: FiatAmount | null = null;
  // what pays this checkout: stablecoins for a stablecoin session, the very coin for a native-coin one
  // (a session lists the families with a receiver per checkout; Solana's sessions pay the merchant on their own step)
  // (a USD-stablecoin session also lists the coins of families that quote sessions: BTC, LTC at the rate provider's price,
  // where the merchant has a settlement address on that chain — choosing one without it is refused, so it is not offered)
  const settings = await getMerchantSettings(row.merchantId);
  const quotable = (c: TokenChoice) => row.kind === "session" && isNativeToken(c.tokenAddress) && findFamilyOf(c.network)?.quotedSessions === true
    && USD_STABLECOINS.has(row.tokenSymbol) && Boolean(settings?.settlement[settlementKey(c.network, row.livemode)]);
  let choices = tokenChoices(row.livemode).flatMap((c) => {
    if (row.kind !== "payment" && findFamilyOf(c.network)?.receivers !== "per-checkout") return [];
    if (tokenCounts(row, { network: c.network, address: c.tokenAddress, symbol: c.symbol })) return [c];
    return quotable(c) ? [{ ...c, quoted: true }] : [];
  });
  if (row.kind === "payment") {
    const payment = await loadPaymentById(row.id);
    const info = payment ? serializePayment(payment) : null;
    if (info?.expectedDisplayAmount && info.displayCurrency) {
      fiat = { amount: info.expectedDisplayAmount, currency: info.displayCurrency, paid: info.actualDisplayAmount };
    }
    // a payment is priced in one asset on one network: that is the only way to pay it
    choices = choices.filter((c) => c.network === row.network && c.tokenAddress.toLowerCase() === row.tokenAddress.toLowerCase());
  }
  return {
    // with its deposits: an underpaid session renders what remains from the first byte
    session: (await sessionView(db(), row, "public")) as PublicSession,
    clientSecret: row.clientSecret,
    // settlement addresses stay on the server: only the public branding goes to the page
    merchant: merchantBranding(settings),
    choices,
    // a payment is paid to its own receiver, never on the Solana Pay step
    solana: row.kind === "payment" ? null : solanaCheckout(row, settings?.settlement ?? {}),
    successUrl: safeUrl(row.successUrl),
    cancelUrl: safeUrl(row.cancelUrl),
    fiat,
    fixedMethod: row.kind === "payment",
  };
});
