// Bitcoin and Litecoin addresses: native segwit (bech32 / bech32m: P2WPKH, P2WSH, P2TR), whose
// human-readable prefix names the network and its mode — bc / tb (Bitcoin), ltc / tltc (Litecoin),
// and the regtest prefixes of the devnets (rb on bcoin, bcrt on Bitcoin Core, rltc). Which prefix a
// configured chain uses is ChainConfig.bech32Hrp (lib/config).
import { Address, OutScript } from "@scure/btc-signer";
import { hex } from "@scure/base";
import { config } from "@/lib/config";
import { networkSpec } from "@/lib/config/networks";

type Decoded = ReturnType<ReturnType<typeof Address>["decode"]>;

const networkOf = (hrp: string) => ({ bech32: hrp, pubKeyHash: 0x00, scriptHash: 0x05, wif: 0x80 });

const SEGWIT = new Set(["wpkh", "wsh", "tr"]);
/** every prefix a Bitcoin-family address may carry in this build */
const KNOWN_HRPS = ["bc", "tb", "bcrt", "rb", "ltc", "tltc", "rltc"];

/** The prefixes an address on `network` may carry: a chain key ("bitcoin:test") names one; a network name, those of both modes. */
export function hrpsFor(network?: string): string[] {
  if (!network) return KNOWN_HRPS;
  const [name, mode] = network.split(":");
  const chains = config().networks.filter((c) => c.network === name && (mode === undefined || c.livemode === (mode !== "test")));
  const spec = networkSpec(name);
  const out = new Set<string>();
  for (const c of chains) if (c.bech32Hrp) out.add(c.bech32Hrp);
  if (mode === undefined && spec?.bech32) { out.add(spec.bech32.main); out.add(spec.bech32.test); }
  return [...out];
}

function decode(s: string, hrps: readonly string[]): Decoded | null {
  const lower = s.toLowerCase();
  // bech32 is one case throughout; the stored form is lower case
  if (s !== lower && s !== s.toUpperCase()) return null;
  const sep = lower.lastIndexOf("1");
  if (sep < 1) return null;
  const hrp = lower.slice(0, sep);
  if (!hrps.includes(hrp)) return null;
  try {
    const d = Address(networkOf(hrp)).decode(lower);
    return SEGWIT.has(d.type) ? d : null;
  } catch {
    return null;
  }
}

/** Why `s` is not a native segwit address of `network` (a network name or chain key), or null. */
export function bitcoinAddressProblem(s: string, network?: string): string | null {
  const hrps = hrpsFor(network);
  if (decode(s, hrps)) return null;
  return `must be a native segwit (bech32) address starting with ${hrps.map((h) => `${h}1`).join(", ")}`;
}

/** The output script paying `address` (hex). */
export function scriptOf(address: string): string {
  const lower = address.toLowerCase();
  const d = decode(lower, [lower.slice(0, lower.lastIndexOf("1"))]);
  if (!d) throw new Error(`not a native segwit address: ${address}`);
  return hex.encode(OutScript.encode(d));
}

/** The native segwit address an output script pays, with prefix `hrp`; null for other scripts. */
export function addressOfScript(scriptHex: string, hrp: string): string | null {
  // P2WPKH 0014…, P2WSH 0020…, P2TR 5120…
  if (!/^(0014[0-9a-f]{40}|0020[0-9a-f]{64}|5120[0-9a-f]{64})$/.test(scriptHex)) return null;
  try {
    return Address(networkOf(hrp)).encode(OutScript.decode(hex.decode(scriptHex)));
  } catch {
    return null;
  }
}

/** P2WPKH address of a compressed public key (BIP84 receivers). */
export function p2wpkhAddress(hash160: Uint8Array, hrp: string): string {
  return Address(networkOf(hrp)).encode({ type: "wpkh", hash: hash160 });
}
