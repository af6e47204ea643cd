// What a Tron checkout's QR carries: the bare base58check address, which Tron wallets scan (they
// read no amount from a URI; the page shows the amount to type). Pure: the browser uses it too.
import type { PromptRequest } from "../family";

export function tronUri(req: Pick<PromptRequest, "receiver">): string {
  return req.receiver;
}
