// GET /dashboard/withdrawals/export – the mode's withdrawals and sweeps as CSV (signed-in merchant only).
import { currentMerchant } from "@/lib/auth/session";
import { CSV_MAX_ROWS, csvResponse } from "@/lib/dashboard/csv";
import { walletMode } from "@/lib/dashboard/wallets/mode";
import { listWithdrawalsForDashboard } from "@/lib/dashboard/wallets/queries";

export async function GET(req: Request): Promise<Response> {
  const merchant = await currentMerchant();
  if (!merchant) return new Response("Sign in first.", { status: 401 });
  const mode = walletMode(Object.fromEntries(new URL(req.url).searchParams));
  const rows = await listWithdrawalsForDashboard({ merchantId: merchant.merchantId, livemode: mode === "live" }, CSV_MAX_ROWS);
  return csvResponse(`withdrawals-${mode}.csv`,
    ["created_at", "withdrawal_id", "kind", "status", "network", "currency", "amount", "amount_base_units", "destination", "from", "tx_hash", "customer", "query_id", "reason"],
    rows.map((w) => [w.createdAt.toISOString(), w.id, w.kind, w.status, w.network, w.currency, w.amountExact || w.amount, w.amountUnits, w.destination, w.from, w.txHash, w.userId, w.queryId, w.reason]));
}
