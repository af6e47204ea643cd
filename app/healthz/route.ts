// GET /healthz – readiness: database reachable and a worker heartbeat fresh.
import { health } from "@/lib/health/health";

export const dynamic = "force-dynamic";

export async function GET(): Promise<Response> {
  const h = await health();
  return Response.json(h, { status: h.ok ? 200 : 503, headers: { "Cache-Control": "no-store" } });
}
