// GET /qr/{id} – PNG QR code of a deposit address (seed 000 qrCodeURL); public like the address itself.
import { eq } from "drizzle-orm";
import QRCode from "qrcode";
import { depositAddresses } from "@/db/schema";
import { db } from "@/lib/db/client";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function GET(_req: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await ctx.params;
  const [row] = UUID.test(id) ? await db().select({ address: depositAddresses.address }).from(depositAddresses).where(eq(depositAddresses.id, id)) : [];
  if (!row) {
    return Response.json({ error: { type: "invalid_request_error", code: "resource_missing", message: "No such deposit address.", param: "id" } }, { status: 404 });
  }
  const png = await QRCode.toBuffer(row.address, { type: "png", margin: 2, width: 320, errorCorrectionLevel: "M" });
  return new Response(new Uint8Array(png), { headers: { "Content-Type": "image/png", "Cache-Control": "public, max-age=86400, immutable" } });
}
