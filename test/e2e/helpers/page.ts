// Reading the checkout page: the deposit instructions it shows, what its live region announced,
// and the session API calls it made (observed, never answered: the real server answers).
import { expect, type Page, type Request } from "@playwright/test";
import { getAddress, type Address } from "viem";

export type Instructions = { token: Address; chainId: number; receiver: Address; units: bigint };

/** ethereum:<token>@<chainId>/transfer?address=<receiver>&uint256=<units> (EIP-681) */
export function parseEip681(uri: string): Instructions {
  const m = /^ethereum:(0x[0-9a-fA-F]{40})@(\d+)\/transfer\?address=(0x[0-9a-fA-F]{40})&uint256=(\d+)$/.exec(uri);
  if (!m) throw new Error(`not an EIP-681 token transfer: ${uri}`);
  return { token: getAddress(m[1]), chainId: Number(m[2]), receiver: getAddress(m[3]), units: BigInt(m[4]) };
}

/**
 * What the page tells the payer to send, read from the QR code's EIP-681 URI and checked against
 * the address and amount shown for copying.
 */
export async function readInstructions(page: Page, expected: { chainId: number; token: Address; amountText: string }): Promise<Instructions> {
  const qr = page.getByTestId("payment-qr");
  await expect(qr).toHaveAttribute("data-payment-uri", new RegExp(`^ethereum:${expected.token}@${expected.chainId}/transfer\\?`));
  await expect(page.getByTestId("pay-amount")).toHaveText(expected.amountText);
  const uri = (await qr.getAttribute("data-payment-uri"))!;
  const got = parseEip681(uri);
  await expect(page.getByTestId("pay-address")).toHaveText(got.receiver);
  return got;
}

/**
 * Records every text the status live region (aria-live) takes, from the first paint on, in the
 * page itself. Call before page.goto; read with the returned function.
 */
export async function recordAnnouncements(page: Page): Promise<() => Promise<string[]>> {
  await page.addInitScript({ content: `
    (() => {
      const log = (window.__announced = []);
      const look = () => {
        const el = document.querySelector('[data-testid="status-announcer"]');
        const text = el ? el.textContent : null;
        if (text && log[log.length - 1] !== text) log.push(text);
      };
      new MutationObserver(look).observe(document, { subtree: true, childList: true, characterData: true });
    })();` });
  return () => page.evaluate(() => (window as unknown as { __announced: string[] }).__announced);
}

/** `seen` is, in order, a subsequence of `order` (nothing out of order, nothing else). */
export function inOrder(seen: string[], order: string[]): boolean {
  let i = 0;
  for (const s of seen) {
    const at = order.indexOf(s, i);
    if (at < 0) return false;
    i = at;
  }
  return true;
}

export type SessionCall = { method: string; path: string; body: any };

/** The page's calls to /v1/sessions/{id}/… as they leave the browser (the server answers them). */
export function watchSessionCalls(page: Page, sessionId: string): SessionCall[] {
  const calls: SessionCall[] = [];
  page.on("request", (r: Request) => {
    const url = new URL(r.url());
    if (!url.pathname.startsWith(`/v1/sessions/${sessionId}`)) return;
    let body: unknown = null;
    try { body = r.postDataJSON(); } catch { body = r.postData(); }
    calls.push({ method: r.method(), path: url.pathname.slice(`/v1/sessions/${sessionId}`.length) || "/", body });
  });
  return calls;
}
