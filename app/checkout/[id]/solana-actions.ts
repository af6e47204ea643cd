"use server";
// The checkout page's Solana Pay QR: a payment request without a wallet (any wallet that scans
// the URL pays), authorized by the session's client secret like the API's payment-method call.
import { ApiError } from "@/lib/api/errors";
import { clientSecretMatches, findSessionById } from "@/lib/sessions/get-session";
import { chooseSolana } from "@/lib/sessions/choose-payment-method";

export type SolanaPayQr = { ok: true; payUrl: string; reference: string } | { ok: false; message: string };

export async function solanaPayRequest(sessionId: string, clientSecret: string, mint: string): Promise<SolanaPayQr> {
  const row = typeof sessionId === "string" && typeof clientSecret === "string" ? await findSessionById(sessionId) : null;
  if (!row || !clientSecretMatches(row, clientSecret)) return { ok: false, message: "No such session." };
  try {
    const { solana } = await chooseSolana({ merchantId: row.merchantId, livemode: row.livemode }, row.id, { inputTokenMint: String(mint) });
    if (!solana) throw new Error("chooseSolana returned no request");
    return { ok: true, payUrl: solana.payUrl, reference: solana.reference };
  } catch (e) {
    if (e instanceof ApiError) return { ok: false, message: e.message };
    throw e;
  }
}
