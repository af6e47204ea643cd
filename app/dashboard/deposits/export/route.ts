// GET /dashboard/deposits/export – the filtered deposits as CSV (signed-in merchant only).
import { currentMerchant } from "@/lib/auth/session";
import { one, walletMode } from "@/lib/dashboard/wallets/mode";
import { listDepositsForDashboard } from "@/lib/dashboard/wallets/queries";

/** RFC 4180 field; a leading =, +, - or @ is prefixed so spreadsheets never run it as a formula. */
function field(v: string | number | boolean | null): string {
  let s = v === null ? "" : String(v);
  if (/^[=+\-@]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export async function GET(req: Request): Promise<Response> {
  const merchant = await currentMerchant();
  if (!merchant) return new Response("Sign in first.", { status: 401 });
  const params = Object.fromEntries(new URL(req.url).searchParams);
  const mode = walletMode(params);
  const rows = await listDepositsForDashboard({ merchantId: merchant.merchantId, livemode: mode === "live" },
    { currency: one(params, "currency"), status: one(params, "status"), q: one(params, "q") }, 10_000);
  const header = ["created_at", "network", "currency", "amount", "amount_base_units", "status", "below_minimum", "from", "to", "tx_hash", "session_id", "customer"];
  const lines = rows.map((d) => [d.createdAt.toISOString(), d.network, d.currency, d.amount, d.amountUnits, d.status, d.belowMinimum, d.from, d.to, d.txHash, d.sessionId, d.customer].map(field).join(","));
  return new Response([header.join(","), ...lines].join("\r\n") + "\r\n", {
    headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="deposits-${mode}.csv"`, "Cache-Control": "no-store" },
  });
}
