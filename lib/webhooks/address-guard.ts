// Live-mode webhook targets must be public: a URL that names or resolves to a private, loopback,
// link-local, unique-local, CGNAT, multicast or unspecified address (IPv4, IPv6 and IPv4 embedded
// in IPv6) is refused, at creation and again at every delivery, where the connection then goes to
// exactly the address that was checked (no second DNS answer can swap in another).
import { lookup } from "node:dns/promises";
import { isIP } from "node:net";

export type ResolvedAddress = { address: string; family: 4 | 6 };
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolver: Resolver = async (hostname) =>
  (await lookup(hostname, { all: true, verbatim: true })).map(({ address, family: ipVersion }) => ({ address, family: ipVersion === 6 ? 6 : 4 }));

export class UnsafeTargetError extends Error {}

function v4Bytes(ip: string): number[] {
  return ip.split(".").map(Number);
}

function privateV4([a, b]: number[]): boolean {
  return a === 0 || a === 10 || a === 127 || a >= 224 // this network, private, loopback, multicast + reserved
    || (a === 100 && b >= 64 && b <= 127) // CGNAT 100.64/10
    || (a === 169 && b === 254) // link-local
    || (a === 172 && b >= 16 && b <= 31)
    || (a === 192 && b === 168);
}

/** 16 bytes of an IPv6 address (with an optional dotted IPv4 tail). */
function v6Bytes(ip: string): number[] {
  let s = ip.toLowerCase().replace(/^\[|\]$/g, "").split("%")[0];
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (tail) {
    const [a, b, c, d] = v4Bytes(tail[1]);
    s = s.slice(0, -tail[1].length) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, rest] = s.split("::");
  const h = head ? head.split(":") : [];
  const r = rest !== undefined && rest !== "" ? rest.split(":") : [];
  const groups = rest === undefined ? h : [...h, ...Array(8 - h.length - r.length).fill("0"), ...r];
  return groups.flatMap((g) => { const n = Number.parseInt(g || "0", 16); return [n >> 8, n & 0xff]; });
}

function privateV6(b: number[]): boolean {
  const zeros = (n: number) => b.slice(0, n).every((x) => x === 0);
  if (zeros(16)) return true; // ::
  if (zeros(15) && b[15] === 1) return true; // ::1
  if (zeros(10) && b[10] === 0xff && b[11] === 0xff) return privateV4(b.slice(12)); // ::ffff:a.b.c.d
  if (zeros(12)) return privateV4(b.slice(12)); // ::a.b.c.d (deprecated IPv4-compatible)
  if (b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && b.slice(4, 12).every((x) => x === 0)) return privateV4(b.slice(12)); // 64:ff9b::/96 NAT64
  if (b[0] === 0x20 && b[1] === 0x02) return privateV4(b.slice(2, 6)); // 6to4
  if ((b[0] & 0xfe) === 0xfc) return true; // fc00::/7 unique local
  if (b[0] === 0xfe && (b[1] & 0xc0) === 0x80) return true; // fe80::/10 link-local
  if (b[0] === 0xfe && (b[1] & 0xc0) === 0xc0) return true; // fec0::/10 site-local (deprecated)
  if (b[0] === 0xff) return true; // multicast
  return false;
}

/** True for any address a live webhook must not reach. Not an IP at all counts as not public. */
export function isPrivateAddress(ip: string): boolean {
  const bare = ip.replace(/^\[|\]$/g, "");
  const kind = isIP(bare);
  if (kind === 4) return privateV4(v4Bytes(bare));
  if (kind === 6) return privateV6(v6Bytes(bare));
  return true;
}

/**
 * The addresses a live-mode URL may be sent to, or UnsafeTargetError. Every answer must be public
 * (one private answer among public ones is how rebinding attacks start).
 */
export async function publicAddresses(url: URL, resolve: Resolver = systemResolver): Promise<ResolvedAddress[]> {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const literal = isIP(host);
  if (host.toLowerCase() === "localhost" || host.toLowerCase().endsWith(".localhost")) throw new UnsafeTargetError(`${host} is a loopback name`);
  const addrs: ResolvedAddress[] = literal ? [{ address: host, family: literal === 6 ? 6 : 4 }] : await resolve(host);
  if (addrs.length === 0) throw new UnsafeTargetError(`${host} does not resolve`);
  const bad = addrs.find((a) => isPrivateAddress(a.address));
  if (bad) throw new UnsafeTargetError(`${host} resolves to ${bad.address}, a private, loopback or link-local address`);
  return addrs;
}
