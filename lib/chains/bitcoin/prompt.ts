// BIP21 payment URIs: `bitcoin:<address>?amount=<coins>` (Litecoin wallets read `litecoin:`).
import type { PromptRequest } from "../family";

function decimal(units: bigint, decimals: number): string {
  const s = units.toString().padStart(decimals + 1, "0");
  const whole = s.slice(0, s.length - decimals);
  const frac = s.slice(s.length - decimals).replace(/0+$/, "");
  return frac ? `${whole}.${frac}` : whole;
}

export function bip21Uri(req: PromptRequest): string {
  const scheme = /^(ltc|tltc|rltc)1/i.test(req.receiver) ? "litecoin" : "bitcoin";
  const params = new URLSearchParams();
  if (req.units > 0n) params.set("amount", decimal(req.units, req.decimals));
  if (req.label) params.set("label", req.label);
  const q = params.toString();
  return `${scheme}:${req.receiver}${q ? `?${q}` : ""}`;
}
