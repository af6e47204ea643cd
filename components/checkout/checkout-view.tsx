"use client";
// The hosted checkout: summary, the payer's choice of network and token, the ways to pay, and
// the live status (polled every 2 s until a terminal status).
import { PayerFooter, PayerPage } from "./frame";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useMemo, useRef, useState } from "react";
import type { MessageKey } from "@/lib/i18n";
import { useI18n } from "@/lib/i18n/react";
import { dueIn, isUnderpaid, quoteFor, type Due } from "./amounts";
import { ApiError, choosePaymentMethod, fetchSession } from "./api";
import { ConfirmationProgress } from "./confirmation-progress";
import { Countdown } from "./countdown";
import { RECEIVER_FAMILIES, TRANSACTION_FAMILIES } from "./families";
import { ManualPay, ManualPaySkeleton } from "./manual-pay";
import { BouncedPanel, ExpiredPanel, explorerFor, ProcessingPanel, SucceededPanel, UnderpaidNotice } from "./status-panels";
import { TokenPicker } from "./token-picker";
import { choiceKey, isTerminal, type CheckoutProps, type PublicSession, type TokenChoice } from "./types";
import { useNow } from "./use-now";
import { injectedProvider } from "./wallet";

// A session on Solana is paid on a step of its own: a transaction built for the payer's wallet (Solana Pay)
const SolanaPay = TRANSACTION_FAMILIES.solana.Pay;

/** Whether a session's method was chosen on a family's own transaction step (Solana). */
const onTransactionStep = (type: string | undefined) => type !== undefined && Object.hasOwn(TRANSACTION_FAMILIES, type);

/** While a quoted choice waits for its quote: nothing to send yet (the instructions are a placeholder). */
const NO_DUE: Due = { units: 0n, decimal: "0" };

type View = "pay" | "processing" | "succeeded" | "bounced" | "expired";

const STATUS_TEXT: Record<View, MessageKey> = {
  pay: "status.waiting",
  processing: "status.processingTitle",
  succeeded: "status.succeededTitle",
  bounced: "status.bouncedTitle",
  expired: "status.expiredTitle",
};

// The payer's last choice survives a reload in this tab (the public view doesn't name the chain).
const storageKey = (id: string) => `tollgate:checkout:${id}:choice`;
function readChoice(id: string): string | null {
  try { return window.sessionStorage.getItem(storageKey(id)); } catch { return null; }
}
function storeChoice(id: string, key: string): void {
  try { window.sessionStorage.setItem(storageKey(id), key); } catch { /* private mode */ }
}

function defaultChoice(s: PublicSession, choices: TokenChoice[]): string {
  const src = s.paymentMethod?.source;
  const want = (src && src.chainId !== null && choices.find((c) => choiceKey(c) === choiceKey({ chainId: src.chainId!, tokenAddress: src.tokenAddress })))
    || choices.find((c) => c.network === s.destination.chainName && c.tokenAddress.toLowerCase() === s.destination.tokenAddress.toLowerCase())
    || choices[0];
  return want ? choiceKey(want) : "";
}

function useErrorText() {
  const { t } = useI18n();
  return (e: unknown) => {
    if (e instanceof ApiError) return e.status === 0 ? t("error.network") : e.message || t("error.generic", { status: e.status });
    return t("error.network");
  };
}

function ErrorBox({ title, message, onRetry, testId }: { title: string; message: string; onRetry: () => void; testId: string }) {
  const { t } = useI18n();
  return (
    <div role="alert" className="rounded-xl bg-red-50 p-4 text-sm ring-1 ring-red-200 ring-inset" data-testid={testId}>
      <p className="font-semibold text-red-900">{title}</p>
      <p className="mt-1 text-red-800">{message}</p>
      <button type="button" onClick={onRetry}
        className="mt-3 rounded-lg bg-white px-3 py-1.5 text-xs font-semibold text-red-900 shadow-xs ring-1 ring-red-300 ring-inset hover:bg-red-100 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-red-600">
        {t("pay.retry")}
      </button>
    </div>
  );
}

/**
 * The checkout's server-sent events (app/checkout/[id]/events): each `change` refetches the session
 * at once, so "payment detected" shows as soon as the worker records it. Returns whether the stream
 * is open (the page then polls only as a safety net); closes once the session is terminal.
 */
function useLiveUpdates(id: string, wanted: boolean): boolean {
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const status = qc.getQueryData<PublicSession>(["session", id])?.status;
  const active = wanted && !(status && isTerminal(status));
  useEffect(() => {
    if (!active || typeof EventSource === "undefined") return;
    const es = new EventSource(`/checkout/${encodeURIComponent(id)}/events`);
    // open: what changed before the stream listened is fetched once, later changes are pushed
    es.onopen = () => {
      setOpen(true);
      void qc.invalidateQueries({ queryKey: ["session", id] });
    };
    es.onerror = () => setOpen(false);
    es.addEventListener("change", () => void qc.invalidateQueries({ queryKey: ["session", id] }));
    return () => {
      es.close();
      setOpen(false);
    };
  }, [active, id, qc]);
  return open && active;
}

export function CheckoutView({ session: initial, clientSecret, merchant, choices, solana, successUrl, cancelUrl, serverNow, fiat, fixedMethod }: CheckoutProps) {
  const { t, amount, locale } = useI18n();
  const errorText = useErrorText();
  const qc = useQueryClient();
  const id = initial.sessionId;

  const live = useLiveUpdates(id, !isTerminal(initial.status));
  const query = useQuery({
    queryKey: ["session", id],
    queryFn: ({ signal }) => fetchSession(id, signal),
    initialData: initial,
    initialDataUpdatedAt: serverNow * 1000,
    // pushed changes refetch at once (useLiveUpdates); polling is the fallback, and a slow safety net while the push works
    refetchInterval: (q) => (q.state.data && isTerminal(q.state.data.status) ? false : live ? 15_000 : 2000),
    refetchIntervalInBackground: true,
  });
  const session = query.data;
  const secondsLeft = session.expiresAt - useNow(serverNow);

  let view: View;
  if (session.status === "processing" || session.status === "succeeded" || session.status === "bounced") view = session.status;
  else if (session.status === "expired" || secondsLeft <= 0) view = "expired";
  else view = "pay";

  // --- the payer's choice of network and token -------------------------------------------------
  const byKey = useMemo(() => new Map(choices.map((c) => [choiceKey(c), c])), [choices]);
  const [selectedKey, setSelectedKey] = useState(() => defaultChoice(initial, choices));
  const [accepted, setAccepted] = useState<{ key: string; receiver: string | null } | null>(null);
  const latest = useRef<string | null>(null);
  const choose = useMutation({
    // one at a time, in the order the payer picked: the server keeps the method it processed last,
    // and an EVM and a Tron choice have different receivers
    scope: { id: `choose:${id}` },
    mutationFn: (key: string) => {
      const choice = byKey.get(key)!;
      return choosePaymentMethod(id, clientSecret, locale, RECEIVER_FAMILIES[choice.family].paymentMethod(choice));
    },
    // a poll already in flight must not overwrite the answer with the older state
    onMutate: () => qc.cancelQueries({ queryKey: ["session", id] }),
    onSuccess: (s, key) => {
      qc.setQueryData(["session", id], s);
      if (latest.current !== key) return; // the payer has picked something else since
      setAccepted({ key, receiver: s.paymentMethod?.receiverAddress ?? null });
      storeChoice(id, key);
    },
  });
  function select(key: string) {
    if (!byKey.has(key)) return;
    setSelectedKey(key);
    latest.current = key;
    choose.mutate(key);
  }

  // On arrival: restore this tab's earlier choice, or tell the server about the default one.
  const started = useRef(false);
  const [hasWallet, setHasWallet] = useState(false);
  useEffect(() => {
    setHasWallet(injectedProvider() !== null);
    if (started.current) return;
    started.current = true;
    if (initial.status !== "requires_payment_method" && initial.status !== "waiting_payment") return;
    if (initial.expiresAt <= Math.floor(Date.now() / 1000)) return;
    // a payment's method was chosen with the API: show its address, never choose another
    if (fixedMethod) {
      if (initial.paymentMethod?.receiverAddress) setAccepted({ key: selectedKey, receiver: initial.paymentMethod.receiverAddress });
      return;
    }
    if (onTransactionStep(initial.paymentMethod?.type) && solana) return; // back on the Solana step
    const stored = readChoice(id);
    if (stored && byKey.has(stored) && initial.paymentMethod?.receiverAddress) {
      latest.current = stored;
      setSelectedKey(stored);
      setAccepted({ key: stored, receiver: initial.paymentMethod.receiverAddress });
      return;
    }
    select(selectedKey);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once, on arrival
  }, []);

  // Solana instead of the EVM networks: its own flow (wallet adapter, Solana Pay QR)
  const [onSolana, setOnSolana] = useState(() => !fixedMethod && onTransactionStep(initial.paymentMethod?.type) && solana !== null);

  const selected = byKey.get(selectedKey) ?? choices[0];
  // one deposit address per session, valid on every EVM chain; shown once the server accepted this choice
  const shown = accepted?.key === selectedKey
    ? (session.paymentMethod?.receiverAddress ?? accepted.receiver)
    : null;
  const family = selected ? RECEIVER_FAMILIES[selected.family] : null;
  // never an address of the other family under this choice's instructions (Tron: base58 T…; EVM: 0x…)
  const receiver = shown && family?.isReceiver(shown) ? shown : null;
  // a family's wallet switches between its own choices only (the injected EIP-1193 wallet: EVM chains)
  const familyChoices = useMemo(() => choices.filter((c) => RECEIVER_FAMILIES[c.family] === family), [choices, family]);
  const choosing = choose.isPending && choose.variables === selectedKey;
  const chooseFailed = choose.isError && choose.variables === selectedKey;
  const underpaid = isUnderpaid(session);
  // a coin at a quoted price (BTC, LTC): the amount is the session's quote, once the server has taken it
  const quoted = selected?.quoted === true;
  const quote = selected && quoted ? quoteFor(session, selected) : null;
  const due = selected && (!quoted || quote) ? dueIn(session, selected) : null;
  // stablecoins pay 1:1 and are named by the choice; a quoted coin pays the destination's amount at the quote
  const tokenLabel = quoted ? session.destination.tokenSymbol : selected?.label ?? session.destination.tokenSymbol;
  const explorer = explorerFor(choices);
  const showTitle = session.display.title && session.display.title !== merchant.name;

  return (
    // the root layout says lang="en"; this subtree is in the payer's language from the first byte
    <div lang={locale}>
      <PayerPage livemode={session.livemode} merchant={merchant} after={<PayerFooter>
            {cancelUrl && view === "pay" && (
              <a href={cancelUrl} className="rounded font-medium text-zinc-600 underline-offset-2 hover:text-zinc-900 hover:underline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-[var(--accent)]">
                <span aria-hidden="true">← </span>{t("checkout.cancel", { merchant: merchant.name })}
              </a>
            )}
          </PayerFooter>}>

            <div className="border-b border-zinc-100 px-5 py-5 sm:px-6">
              {showTitle ? <h1 className="text-sm font-medium text-zinc-700" data-testid="checkout-title">{session.display.title}</h1>
                : <h1 className="sr-only">{merchant.name}</h1>}
              <p className={`${showTitle ? "mt-3" : ""} text-xs font-medium text-zinc-500`}>{t(view === "pay" ? "checkout.amountDue" : "pay.amount")}</p>
              <p className="mt-0.5 text-3xl font-semibold tracking-tight text-zinc-900 tabular-nums" data-testid="amount">
                {amount(session.destination.amountUnits)} <span className="text-xl font-medium text-zinc-500">{tokenLabel}</span>
              </p>
              {quote && view === "pay" && (
                <p className="mt-1 text-sm text-zinc-600 tabular-nums" data-testid="quote-amount">
                  {t("checkout.quotedPrice", { amount: amount(quote.amountUnits), coin: quote.asset, rate: amount(quote.rate), currency: quote.currency })}
                </p>
              )}
              {fiat && (
                <p className="mt-1 text-sm text-zinc-600 tabular-nums" data-testid="fiat-amount">
                  {t("checkout.fiatPrice", { amount: amount(fiat.amount), currency: fiat.currency })}
                </p>
              )}
              {view === "pay" && <div className="mt-3"><Countdown secondsLeft={secondsLeft} /></div>}
            </div>

            <div className="space-y-5 px-5 py-6 sm:px-6">
              {query.isRefetchError && !isTerminal(session.status) && (
                <div role="status" className="flex items-center justify-between gap-3 rounded-lg bg-zinc-50 px-3 py-2 text-xs text-zinc-600 ring-1 ring-zinc-200 ring-inset" data-testid="poll-error">
                  <span>{t("status.connectionLost")} <span className="text-zinc-500">{errorText(query.error)}</span></span>
                  <button type="button" onClick={() => void query.refetch()}
                    className="shrink-0 rounded font-semibold text-zinc-800 underline underline-offset-2 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-[var(--accent)]">
                    {t("pay.retry")}
                  </button>
                </div>
              )}

              {view === "pay" && onSolana && solana && (
                <>
                  {underpaid && selected && <UnderpaidNotice session={session} tokenLabel={tokenLabel} />}
                  <SolanaPay session={session} clientSecret={clientSecret} solana={solana} merchant={merchant.name} />
                  <button type="button" onClick={() => setOnSolana(false)} data-testid="solana-back"
                    className="rounded text-xs font-medium text-zinc-600 underline-offset-2 hover:text-zinc-900 hover:underline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-[var(--accent)]">
                    <span aria-hidden="true">← </span>{t("solana.back")}
                  </button>
                </>
              )}
              {view === "pay" && !onSolana && selected && (
                <>
                  {!fixedMethod && <TokenPicker choices={choices} selected={selected} onSelect={select} />}
                  {!fixedMethod && solana && (
                    <button type="button" onClick={() => setOnSolana(true)} data-testid="solana-switch"
                      className="flex w-full items-center justify-center gap-2 rounded-lg bg-white px-3 py-2 text-sm font-medium text-zinc-800 shadow-xs ring-1 ring-zinc-300 ring-inset hover:bg-zinc-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-[var(--accent)]">
                      {t("solana.switch")}
                    </button>
                  )}
                  {underpaid && <UnderpaidNotice session={session} tokenLabel={tokenLabel} />}
                  {underpaid && <ConfirmationProgress checkoutId={id} />}
                  {family && <family.Pay sessionId={id} clientSecret={clientSecret} choice={selected} choices={familyChoices} receiver={receiver} due={due ?? NO_DUE}
                    hasWallet={hasWallet} onSelect={select} manual={chooseFailed ? (
                      <ErrorBox testId="choose-error" title={t("pay.prepareFailed")} message={errorText(choose.error)} onRetry={() => select(selectedKey)} />
                    ) : receiver && due && !choosing ? (
                      <ManualPay family={family} choice={selected} receiver={receiver} due={due} remaining={underpaid} pageUrl={session.url} />
                    ) : (
                      <ManualPaySkeleton />
                    )} />}
                  {receiver && !choosing && (
                    <p className="flex items-center justify-center gap-2 text-xs text-zinc-500" aria-hidden="true">
                      <span className="relative flex size-2">
                        <span className="absolute inline-flex size-full animate-ping rounded-full bg-[var(--accent)] opacity-50" />
                        <span className="relative inline-flex size-2 rounded-full bg-[var(--accent)]" />
                      </span>
                      {t("pay.waiting")}
                    </p>
                  )}
                </>
              )}
              {view === "processing" && <ProcessingPanel session={session} explorer={explorer} />}
              {view === "succeeded" && <SucceededPanel session={session} merchant={merchant.name} successUrl={successUrl} explorer={explorer} tokenLabel={tokenLabel} />}
              {view === "bounced" && <BouncedPanel session={session} merchant={merchant.name} explorer={explorer} />}
              {view === "expired" && <ExpiredPanel session={session} merchant={merchant.name} cancelUrl={cancelUrl} />}
            </div>
      </PayerPage>
      {/* One polite live region for the status, so each change is announced once. */}
      <p role="status" aria-live="polite" className="sr-only" data-testid="status-announcer">
        {view === "pay" && underpaid ? t("status.underpaidTitle") : t(STATUS_TEXT[view])}
      </p>
    </div>
  );
}
