// GET /dashboard/sessions/export – the sessions list as CSV, with its filters (?mode, ?status, ?q, ?exception, ?network, ?from, ?to).
import { currentMerchant } from "@/lib/auth/session";
import { config } from "@/lib/config";
import { CSV_MAX_ROWS, csvResponse } from "@/lib/dashboard/csv";
import { parseSessionListParams } from "@/lib/dashboard/sessions/list-params";
import { listDashboardSessions } from "@/lib/dashboard/sessions/list-sessions";

export async function GET(req: Request): Promise<Response> {
  const merchant = await currentMerchant();
  if (!merchant) return new Response("Sign in first.", { status: 401 });
  const params = parseSessionListParams(Object.fromEntries(new URL(req.url).searchParams), config().mode);
  const page = await listDashboardSessions(merchant.merchantId, { livemode: params.mode === "live", status: params.status, q: params.q, filters: params.filters, limit: CSV_MAX_ROWS });
  return csvResponse(`sessions-${params.mode}.csv`,
    ["created_at", "session_id", "status", "title", "amount", "token", "network", "chain_id"],
    page.items.map((s) => [s.createdAt.toISOString(), s.id, s.status, s.title, s.amountExact, s.tokenSymbol, s.network, s.chainId]));
}
