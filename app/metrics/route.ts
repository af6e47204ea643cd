// GET /metrics – Prometheus text format (lib/metrics). Open unless TOLLGATE_METRICS_TOKEN is set;
// then `Authorization: Bearer <token>` is required.
import { createHash, timingSafeEqual } from "node:crypto";
import { errors } from "@/lib/api/errors";
import { config } from "@/lib/config";
import { metricsText } from "@/lib/metrics/metrics";

export const dynamic = "force-dynamic";

function authorized(req: Request, token: string): boolean {
  const m = /^Bearer\s+(.+)$/i.exec(req.headers.get("authorization") ?? "");
  if (!m) return false;
  const digest = (s: string) => createHash("sha256").update(s).digest();
  return timingSafeEqual(digest(m[1].trim()), digest(token));
}

export async function GET(req: Request): Promise<Response> {
  const token = config().metricsToken;
  if (token && !authorized(req, token)) {
    const err = errors.authentication("GET /metrics needs Authorization: Bearer <TOLLGATE_METRICS_TOKEN>.", "invalid_metrics_token");
    return Response.json(err.body(), {
      status: 401, headers: { "WWW-Authenticate": 'Bearer realm="metrics"', "Cache-Control": "no-store" } },
    );
  }
  return new Response(await metricsText(), {
    headers: { "Content-Type": "text/plain; version=0.0.4; charset=utf-8", "Cache-Control": "no-store" },
  });
}
