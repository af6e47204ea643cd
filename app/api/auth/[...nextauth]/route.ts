// Auth.js endpoints (/api/auth/*): session, CSRF token, sign-in callback, sign-out.
import { NextRequest } from "next/server";
import { handlers } from "@/auth";

/**
 * Next hands route handlers a URL built from its own listen address (http://localhost:PORT), and
 * Auth.js derives redirects and the secure-cookie choice from it. A self-hosted instance sits
 * behind any host name and often a TLS proxy, so rebuild the origin from the Host /
 * X-Forwarded-* headers, as Auth.js itself does for server-side sign-in with trustHost.
 * AUTH_URL, when set, pins the origin instead (next-auth applies it).
 */
function withPublicOrigin(req: NextRequest): NextRequest {
  if (process.env.AUTH_URL || process.env.NEXTAUTH_URL) return req;
  const host = (req.headers.get("x-forwarded-host") ?? req.headers.get("host"))?.split(",")[0].trim();
  if (!host) return req;
  const proto = req.headers.get("x-forwarded-proto")?.split(",")[0].trim() === "https" ? "https" : req.nextUrl.protocol.replace(":", "");
  let url: URL;
  try { url = new URL(`${req.nextUrl.pathname}${req.nextUrl.search}`, `${proto}://${host}`); } catch { return req; }
  return new NextRequest(url, req);
}

export const GET = (req: NextRequest) => handlers.GET(withPublicOrigin(req));
export const POST = (req: NextRequest) => handlers.POST(withPublicOrigin(req));
