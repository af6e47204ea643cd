// What a Solana checkout's QR carries: a Solana Pay transfer request (recipient, amount, mint and
// the reference key the watcher finds the payment by). Pure: the browser uses it too.
import { formatUnits } from "@/lib/money/units";
import type { PromptRequest } from "../family";

/** solana:<recipient>?amount=…&spl-token=<mint>&reference=<key>&label=… */
export function solanaPayUri(req: PromptRequest & { message?: string }): string {
  const q = new URLSearchParams({ amount: formatUnits(req.units, req.decimals) });
  if (req.token !== null) q.set("spl-token", req.token);
  if (req.memo) q.set("reference", req.memo);
  if (req.label) q.set("label", req.label);
  if (req.message) q.set("message", req.message);
  return `solana:${req.receiver}?${q.toString().replace(/\+/g, "%20")}`;
}
