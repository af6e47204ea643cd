// ton://transfer links (the TON transfer URI wallets open): the receiver, the amount in base
// units, the jetton master for a jetton, and the payment's comment as `text`.
import type { PromptRequest } from "../family";

export function tonTransferUri(req: PromptRequest): string {
  const q = new URLSearchParams();
  if (req.token) q.set("jetton", req.token);
  q.set("amount", req.units.toString());
  if (req.memo) q.set("text", req.memo);
  return `ton://transfer/${req.receiver}?${q.toString()}`;
}
