// Security headers on every response (lib/security/headers.ts): pages get a fresh nonce and the
// CSP naming it — Next.js reads the CSP from the request headers and puts the nonce on its scripts.
import { NextResponse, type NextRequest } from "next/server";
import { config as appConfig } from "@/lib/config";
import { checkoutEmbedOrigins, checkoutIdOf } from "@/lib/security/embed-origins";
import { baseHeaders, contentSecurityPolicy, isApiPath, pageKind, rpcConnectOrigins } from "@/lib/security/headers";

let connectOrigins: string[] | undefined;

/** Pages only: API paths, static assets and probes never pay for a proxy invocation (next.config.ts sets their headers). */
export const config = {
  matcher: ["/((?!v1|v2|api/|_next/|channels|wallet/|healthz|livez|qr/|metrics|favicon.ico|icon.svg).*)"],
};

export async function proxy(request: NextRequest) {
  const cfg = appConfig();
  const https = request.nextUrl.protocol === "https:" || request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim() === "https";
  const base = baseHeaders({ https, live: cfg.mode === "live" });
  const { pathname } = request.nextUrl;
  if (isApiPath(pathname)) {
    const res = NextResponse.next();
    for (const [k, v] of Object.entries(base)) res.headers.set(k, v);
    return res;
  }
  connectOrigins ??= rpcConnectOrigins(cfg.networks.filter((c) => c.enabled && c.family === "solana").map((c) => c.publicRpcUrl));
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
  const kind = pageKind(pathname);
  const checkoutId = kind === "checkout" ? checkoutIdOf(pathname) : null;
  const frameAncestors = checkoutId ? await checkoutEmbedOrigins(checkoutId) : [];
  const csp = contentSecurityPolicy({ nonce, kind, connectOrigins, https, dev: process.env.NODE_ENV === "development", frameAncestors });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", csp);
  const res = NextResponse.next({ request: { headers: requestHeaders } });
  res.headers.set("Content-Security-Policy", csp);
  for (const [k, v] of Object.entries(base)) res.headers.set(k, v);
  return res;
}
