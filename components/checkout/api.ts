// Browser calls to the session API (API.md §1). Errors carry the envelope's message so the page
// can show it; network failures become ApiError with status 0.
import type { PublicSession } from "./types";

export class ApiError extends Error {
  constructor(message: string, readonly status: number, readonly code: string | null = null) {
    super(message);
    this.name = "ApiError";
  }
}

type Envelope = { error?: { type?: string; code?: string; message?: string } };

async function call<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers: body === undefined ? { Accept: "application/json" } : { Accept: "application/json", "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: "no-store",
      signal,
    });
  } catch (e) {
    if ((e as Error).name === "AbortError") throw e;
    throw new ApiError("", 0, "network_error");
  }
  const text = await res.text();
  let json: unknown;
  try { json = JSON.parse(text); } catch { json = undefined; }
  if (!res.ok) {
    const err = (json as Envelope | undefined)?.error;
    throw new ApiError(err?.message ?? "", res.status, err?.code ?? null);
  }
  return json as T;
}

const base = (id: string) => `/v1/sessions/${encodeURIComponent(id)}`;

/** The public view needs no credential (the id is the capability), so polling keeps the secret out of URLs. */
export function fetchSession(id: string, signal?: AbortSignal): Promise<PublicSession> {
  return call<{ session: PublicSession }>("GET", base(id), undefined, signal).then((r) => r.session);
}

/** `paymentMethod`: the body for the picked token, from its family (./families). */
export function choosePaymentMethod(id: string, clientSecret: string, locale: string, paymentMethod: Record<string, unknown>): Promise<PublicSession> {
  return call<{ session: PublicSession }>("POST", `${base(id)}/paymentMethods`, { clientSecret, locale, paymentMethod }).then((r) => r.session);
}

export type SolanaRequest = { serializedTx: string; reference: string; recipient: string; payUrl: string };

/** type solana: a payment request for this wallet and mint, with the unsigned transaction (hex) to sign and send. */
export function chooseSolanaMethod(id: string, clientSecret: string, locale: string, walletAddress: string, inputTokenMint: string): Promise<{ session: PublicSession; solana: SolanaRequest }> {
  return call<{ session: PublicSession; solana: SolanaRequest }>("POST", `${base(id)}/paymentMethods`, {
    clientSecret, locale, paymentMethod: { type: "solana", walletAddress, inputTokenMint },
  });
}

export function checkSession(id: string, clientSecret: string, txHash?: string): Promise<PublicSession> {
  return call<{ session: PublicSession }>("PUT", `${base(id)}/check`, txHash ? { clientSecret, txHash } : { clientSecret })
    .then((r) => r.session);
}

export type TokenOption = { chainId: number; tokenAddress: string; tokenSymbol: string; requiredUnits: string; balanceUnits?: string };

// tokenOptions is a GET whose contract takes the clientSecret in the query; it is never logged
// by the API (request logs carry the path only).
export function fetchTokenOptions(id: string, clientSecret: string, evmAddress: string): Promise<TokenOption[]> {
  const q = new URLSearchParams({ clientSecret, evmAddress });
  return call<{ options: TokenOption[] }>("GET", `${base(id)}/tokenOptions?${q}`).then((r) => r.options ?? []);
}

/** The hosted payment page (seed 004) before its deposit currency is chosen: app/checkout/[id]/choice. */
export type PayerState = "choose" | "wait" | "checkout" | "expired" | "blocked";
export type PayerChoice = { depositCurrency: string; network: string };
export type PayerQuote = { amount: string; currency: string; network: string };

const choiceBase = (id: string) => `/checkout/${encodeURIComponent(id)}/choice`;

/** The page's state; with a choice, also what it costs now (indicative: the submission quotes again). */
export function fetchPayerView(id: string, choice?: PayerChoice, signal?: AbortSignal): Promise<{ state: PayerState; quote?: PayerQuote }> {
  const q = choice ? `?${new URLSearchParams(choice)}` : "";
  return call("GET", `${choiceBase(id)}${q}`, undefined, signal);
}

/** Submits the payer's choice; the answer is where the page goes next. */
export function submitPayerChoice(id: string, choice: PayerChoice): Promise<{ state: PayerState }> {
  return call("POST", choiceBase(id), choice);
}

/** A payment link opens a payment (the link's id is the capability); `amount` for a link without a price. */
export function openPaymentLink(linkId: string, amount?: string): Promise<{ paymentId: string; url: string }> {
  return call("POST", `/pay/${encodeURIComponent(linkId)}/open`, amount === undefined ? {} : { amount });
}
