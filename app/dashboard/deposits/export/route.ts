// GET /dashboard/deposits/export – the filtered deposits as CSV (signed-in merchant only).
import { currentMerchant } from "@/lib/auth/session";
import { CSV_MAX_ROWS, csvResponse } from "@/lib/dashboard/csv";
import { one, walletMode } from "@/lib/dashboard/wallets/mode";
import { listDepositsForDashboard } from "@/lib/dashboard/wallets/queries";

export async function GET(req: Request): Promise<Response> {
  const merchant = await currentMerchant();
  if (!merchant) return new Response("Sign in first.", { status: 401 });
  const params = Object.fromEntries(new URL(req.url).searchParams);
  const mode = walletMode(params);
  const rows = await listDepositsForDashboard({ merchantId: merchant.merchantId, livemode: mode === "live" },
    { currency: one(params, "currency"), status: one(params, "status"), q: one(params, "q") }, CSV_MAX_ROWS);
  return csvResponse(`deposits-${mode}.csv`,
    ["created_at", "network", "currency", "amount", "amount_base_units", "status", "below_minimum", "from", "to", "tx_hash", "session_id", "customer"],
    rows.map((d) => [d.createdAt.toISOString(), d.network, d.currency, d.amountExact, d.amountUnits, d.status, d.belowMinimum, d.from, d.to, d.txHash, d.sessionId, d.customer]));
}
