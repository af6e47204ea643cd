// GET /dashboard/payments/export – the payments list as CSV, with its search and filters (?mode, ?q,
// ?status, ?exception, ?network, ?from, ?to: the list's URL state).
import { currentMerchant } from "@/lib/auth/session";
import { config } from "@/lib/config";
import { CSV_MAX_ROWS, csvResponse } from "@/lib/dashboard/csv";
import { listDashboardPayments } from "@/lib/dashboard/payments/list-payments";
import { parsePaymentListParams } from "@/lib/dashboard/payments/list-params";

export async function GET(req: Request): Promise<Response> {
  const merchant = await currentMerchant();
  if (!merchant) return new Response("Sign in first.", { status: 401 });
  const p = parsePaymentListParams(Object.fromEntries(new URL(req.url).searchParams), config().mode);
  const mode = p.mode;
  const { items } = await listDashboardPayments(merchant.merchantId, { livemode: mode === "live", q: p.q, status: p.status, filters: p.filters, limit: CSV_MAX_ROWS });
  return csvResponse(`payments-${mode}.csv`,
    ["created_at", "payment_id", "client_payment_id", "status", "display_amount", "display_currency", "deposit_currency", "network",
      "expected_deposit_amount", "actual_deposit_amount", "wallet_address", "deposit_tx_hashes"],
    items.map((p) => [p.createdAt.toISOString(), p.paymentId, p.clientPaymentId, p.status, p.expectedDisplayAmount, p.displayCurrency, p.depositCurrency,
      p.expectedNetwork, p.expectedDepositAmount, p.actualDepositAmount, p.walletAddress, p.deposits.map((d) => d.txHash).join(" ")]));
}
