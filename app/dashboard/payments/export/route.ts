// GET /dashboard/payments/export – the payments list as CSV, with its search (?mode, ?q).
import { currentMerchant } from "@/lib/auth/session";
import { config } from "@/lib/config";
import { CSV_MAX_ROWS, csvResponse } from "@/lib/dashboard/csv";
import { listDashboardPayments } from "@/lib/dashboard/payments/list-payments";

export async function GET(req: Request): Promise<Response> {
  const merchant = await currentMerchant();
  if (!merchant) return new Response("Sign in first.", { status: 401 });
  const sp = new URL(req.url).searchParams;
  const mode = sp.get("mode") === "live" || sp.get("mode") === "test" ? sp.get("mode")! : config().mode;
  const { items } = await listDashboardPayments(merchant.merchantId, mode === "live", null, (sp.get("q") ?? "").slice(0, 200), CSV_MAX_ROWS);
  return csvResponse(`payments-${mode}.csv`,
    ["created_at", "payment_id", "client_payment_id", "status", "display_amount", "display_currency", "deposit_currency", "network",
      "expected_deposit_amount", "actual_deposit_amount", "wallet_address", "deposit_tx_hashes"],
    items.map((p) => [p.createdAt.toISOString(), p.paymentId, p.clientPaymentId, p.status, p.expectedDisplayAmount, p.displayCurrency, p.depositCurrency,
      p.expectedNetwork, p.expectedDepositAmount, p.actualDepositAmount, p.walletAddress, p.deposits.map((d) => d.txHash).join(" ")]));
}
