// GET /checkout/{id}/progress – the payer's page's confirmation progress: each payment of the
// checkout with "n of N confirmations" and an estimate of the time left (lib/checkout/confirmations).
// The unguessable checkout id is the capability, as for the page; what it shows is public on chain.
import { checkoutConfirmations } from "@/lib/checkout/confirmations";
import { findCheckoutById } from "@/lib/sessions/get-session";

export const dynamic = "force-dynamic";

const headers = { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" };

export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await params;
  const row = await findCheckoutById(id);
  if (!row) return new Response(JSON.stringify({ error: { type: "invalid_request_error", code: "resource_missing", message: "No such checkout." } }), { status: 404, headers });
  return new Response(JSON.stringify({ deposits: await checkoutConfirmations(row.id) }), { status: 200, headers });
}
