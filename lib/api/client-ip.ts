// The caller's IP address: the socket's peer (stamped on every request by lib/api/server-hooks.ts,
// overwriting anything a client sent in that header), and X-Forwarded-For only when that peer is a
// proxy TOLLGATE_TRUSTED_PROXIES names — otherwise anyone could pick their own rate-limit bucket.
import { config } from "@/lib/config";

export const PEER_HEADER = "x-tollgate-peer";

function normalize(ip: string): string {
  const v = ip.trim().toLowerCase();
  return v.startsWith("::ffff:") && v.includes(".") ? v.slice(7) : v;
}

function isTrusted(ip: string, trusted: string[]): boolean {
  return trusted.some((t) => {
    const n = normalize(t);
    if (n === "loopback") return ip === "::1" || /^127\./.test(ip);
    return n === ip;
  });
}

/** The client's address; "unknown" when the server hook did not run (one shared bucket then). */
export function clientIp(headers: Headers, trusted: string[] = config().trustedProxies): string {
  const peer = headers.get(PEER_HEADER);
  if (!peer) return "unknown";
  let ip = normalize(peer);
  if (!isTrusted(ip, trusted)) return ip;
  // walk the chain from our side: the first hop a trusted proxy did not add is the client
  const hops = (headers.get("x-forwarded-for") ?? "").split(",").map(normalize).filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) {
    ip = hops[i];
    if (!isTrusted(ip, trusted)) return ip;
  }
  return ip;
}
