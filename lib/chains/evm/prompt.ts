// What an EVM checkout's QR carries: an EIP-681 request for the exact amount, which wallets open
// on the right chain with the token, receiver and amount filled in. Pure: the browser uses it too.
import type { PromptRequest } from "../family";

/** EIP-681: ethereum:<token>@<chainId>/transfer?address=<receiver>&uint256=<units> (a native coin: ethereum:<receiver>@<chainId>?value=<units>). */
export function eip681(req: Pick<PromptRequest, "receiver" | "token" | "units" | "chainId">): string {
  const chain = req.chainId ? `@${req.chainId}` : "";
  if (req.token === null) return `ethereum:${req.receiver}${chain}?value=${req.units.toString()}`;
  return `ethereum:${req.token}${chain}/transfer?address=${req.receiver}&uint256=${req.units.toString()}`;
}
