// Security headers for every response (proxy.ts). Pages get a per-request nonce-based CSP (Next.js
// puts the nonce on its own scripts when the request carries the CSP header); API responses get
// the headers that apply to data (nosniff, no referrer leaks).

export type PageKind = "dashboard" | "checkout" | "page";

/** Paths that answer data, not pages: no CSP, but nosniff like everything else. */
const API_PREFIXES = ["/v1", "/v2", "/api", "/channels", "/wallet", "/healthz", "/livez", "/qr", "/_next/"];

export function isApiPath(pathname: string): boolean {
  return API_PREFIXES.some((p) => pathname === p || pathname.startsWith(p.endsWith("/") ? p : `${p}/`));
}

export function pageKind(pathname: string): PageKind {
  if (pathname === "/dashboard" || pathname.startsWith("/dashboard/")) return "dashboard";
  if (pathname.startsWith("/checkout/")) return "checkout";
  return "page";
}

export type CspInput = {
  nonce: string;
  kind: PageKind;
  /** origins the browser may call besides our own (the checkout's Solana wallet flow: public RPC URLs) */
  connectOrigins: string[];
  https: boolean;
  dev: boolean;
  /** checkout pages: the merchant's origins that may frame it (none by default) */
  frameAncestors?: string[];
};

/** The Content-Security-Policy of a page. */
export function contentSecurityPolicy(i: CspInput): string {
  const directives = [
    "default-src 'self'",
    // strict-dynamic: scripts Next.js loads from its nonce'd bootstrap run; nothing else does
    `script-src 'self' 'nonce-${i.nonce}' 'strict-dynamic'${i.dev ? " 'unsafe-eval'" : ""}`,
    // style attributes (React's style={…}) and wallet adapters' injected <style> elements
    "style-src 'self' 'unsafe-inline'",
    // QR codes and wallet icons come as data: URIs; a merchant's logo from its own https:// host
    // (http://localhost while developing, as Settings allows)
    "img-src 'self' data: blob: https: http://localhost:*",
    "font-src 'self' data:",
    `connect-src 'self'${i.connectOrigins.length ? " " + i.connectOrigins.join(" ") : ""}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    // the dashboard and every other page are never framed; a checkout only by the merchant's own sites
    i.kind === "checkout" && i.frameAncestors?.length ? `frame-ancestors ${i.frameAncestors.join(" ")}` : "frame-ancestors 'none'",
  ];
  if (i.https) directives.push("upgrade-insecure-requests");
  return directives.join("; ");
}

/** The origins of these URLs, with the websocket origins web3.js may open for each (same port, and port + 1). */
export function rpcConnectOrigins(urls: (string | null | undefined)[]): string[] {
  const out = new Set<string>();
  for (const raw of urls) {
    if (!raw || !URL.canParse(raw)) continue;
    const u = new URL(raw);
    if (u.protocol !== "http:" && u.protocol !== "https:") continue;
    const ws = u.protocol === "https:" ? "wss:" : "ws:";
    out.add(u.origin);
    out.add(`${ws}//${u.host}`);
    if (u.port) out.add(`${ws}//${u.hostname}:${Number(u.port) + 1}`);
  }
  return [...out];
}

/** Headers every response carries, pages and API alike. */
export function baseHeaders(opts: { https: boolean; live: boolean }): Record<string, string> {
  const h: Record<string, string> = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    // the checkout's wallets are browser extensions, not device APIs; no page needs any of these
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), hid=(), bluetooth=(), interest-cohort=()",
  };
  // HSTS only where it is true: a live instance served over HTTPS (a test instance on http://localhost must stay reachable)
  if (opts.https && opts.live) h["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains";
  return h;
}
