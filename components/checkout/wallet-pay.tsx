"use client";
// "Pay with browser wallet": connect the injected wallet, show its balance (tokenOptions), switch
// it to the chosen network, send transfer(receiver, amount), then ask the server to check the tx.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { Spinner } from "@/components/ui/spinner";
import { useI18n } from "@/lib/i18n/react";
import { toBaseUnitsCeil, type Due } from "./amounts";
import { checkSession, fetchTokenOptions, type TokenOption } from "./api";
import { choiceKey, type PublicSession, type TokenChoice } from "./types";
import { ensureChain, injectedProvider, isUserRejection, requestAccount, sendTokenTransfer, walletMessage, WrongChainError, type Eip1193Provider } from "./wallet";

type Phase = "idle" | "connecting" | "ready" | "switching" | "confirming" | "sent";

type Props = {
  sessionId: string;
  clientSecret: string;
  choice: TokenChoice;
  choices: TokenChoice[];
  /** null until the server has accepted the choice and issued the deposit address */
  receiver: `0x${string}` | null;
  due: Due;
  onSelect: (key: string) => void;
};

export const primaryButton =
  "inline-flex w-full items-center justify-center gap-2 rounded-lg bg-[var(--accent)] px-4 py-2.5 text-sm font-semibold text-[var(--accent-fg)] shadow-sm " +
  "transition hover:brightness-110 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-[var(--accent)] disabled:cursor-not-allowed disabled:opacity-60";

const enough = (o: TokenOption, c: TokenChoice) => {
  try {
    return o.balanceUnits !== undefined && toBaseUnitsCeil(o.balanceUnits, c.decimals) >= toBaseUnitsCeil(o.requiredUnits, c.decimals);
  } catch {
    return false;
  }
};

export function WalletPay({ sessionId, clientSecret, choice, choices, receiver, due, onSelect }: Props) {
  const { t, amount } = useI18n();
  const qc = useQueryClient();
  const [account, setAccount] = useState<`0x${string}` | null>(null);
  const [phase, setPhase] = useState<Phase>("idle");
  const [error, setError] = useState<string | null>(null);
  const [txHash, setTxHash] = useState<string | null>(null);
  const timers = useRef<ReturnType<typeof setTimeout>[]>([]);

  useEffect(() => () => timers.current.forEach(clearTimeout), []);

  const balances = useQuery({
    queryKey: ["tokenOptions", sessionId, account],
    queryFn: () => fetchTokenOptions(sessionId, clientSecret, account!),
    enabled: account !== null,
    staleTime: 15_000,
    retry: false,
  });

  function wallet(): Eip1193Provider {
    const p = injectedProvider();
    if (!p) throw new Error("No browser wallet found.");
    return p;
  }

  function fail(e: unknown) {
    setPhase(account ? "ready" : "idle");
    if (isUserRejection(e)) setError(t("wallet.rejected"));
    else if (e instanceof WrongChainError) setError(t("wallet.wrongChain", { network: choice.networkName, chainId: choice.chainId }));
    else setError(t("wallet.error", { message: walletMessage(e) }));
  }

  async function connect() {
    setError(null);
    setPhase("connecting");
    try {
      const a = await requestAccount(wallet());
      if (!a) {
        setPhase("idle");
        setError(t("wallet.noAccount"));
        return;
      }
      setAccount(a);
      setPhase("ready");
    } catch (e) {
      fail(e);
    }
  }

  // The watcher would see the transfer anyway; asking now makes the page react sooner.
  function check(hash: string, attempt = 0) {
    checkSession(sessionId, clientSecret, hash).then((s: PublicSession) => {
      qc.setQueryData(["session", sessionId], s);
      if ((s.status === "waiting_payment" || s.status === "requires_payment_method") && attempt < 3) {
        timers.current.push(setTimeout(() => check(hash, attempt + 1), 3000 * (attempt + 1)));
      }
    }).catch(() => { /* polling carries on */ });
  }

  async function pay() {
    if (!account || !receiver) return;
    setError(null);
    try {
      setPhase("switching");
      await ensureChain(wallet(), choice.chainId);
      setPhase("confirming");
      const hash = await sendTokenTransfer(wallet(), { account, token: choice.tokenAddress as `0x${string}`, to: receiver, units: due.units });
      setTxHash(hash);
      setPhase("sent");
      check(hash);
    } catch (e) {
      fail(e);
    }
  }

  const option = balances.data?.find((o) => o.chainId === choice.chainId && o.tokenAddress.toLowerCase() === choice.tokenAddress.toLowerCase());
  const insufficient = option !== undefined && option.balanceUnits !== undefined && !enough(option, choice);
  const alternatives = insufficient
    ? (balances.data ?? []).flatMap((o) => {
      const c = choices.find((x) => choiceKey(x) === choiceKey(o));
      return c && choiceKey(c) !== choiceKey(choice) && enough(o, c) ? [c] : [];
    })
    : [];
  const busy = phase === "connecting" || phase === "switching" || phase === "confirming";
  const busyLabel = phase === "connecting" ? t("wallet.connecting")
    : phase === "switching" ? t("wallet.switching", { network: choice.networkName })
    : t("wallet.confirm");

  return (
    <section className="space-y-3" aria-labelledby="wallet-heading" data-testid="wallet-pay">
      <h2 id="wallet-heading" className="sr-only">{t("wallet.pay")}</h2>
      {account && (
        <div className="flex items-center justify-between gap-3 text-xs">
          <span className="inline-flex min-w-0 items-center gap-1.5 text-zinc-600">
            <span className="size-2 shrink-0 rounded-full bg-emerald-500" aria-hidden="true" />
            <span className="truncate" data-testid="wallet-account">{t("wallet.connected", { address: `${account.slice(0, 6)}…${account.slice(-4)}` })}</span>
          </span>
          <button type="button" onClick={() => { setAccount(null); setPhase("idle"); setError(null); setTxHash(null); }}
            disabled={busy}
            className="shrink-0 rounded font-medium text-zinc-500 underline-offset-2 hover:text-zinc-800 hover:underline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-[var(--accent)]">
            {t("wallet.disconnect")}
          </button>
        </div>
      )}
      {account && (
        <div className="text-xs" data-testid="wallet-balance">
          {balances.isPending ? (
            <span className="inline-flex items-center gap-1.5 text-zinc-500"><Spinner className="size-3" />{t("wallet.balanceLoading")}</span>
          ) : balances.isError ? (
            <span className="text-zinc-500">{t("wallet.balanceUnavailable")}</span>
          ) : option?.balanceUnits !== undefined ? (
            <span className={insufficient ? "text-amber-800" : "text-zinc-600"}>
              {t("wallet.balance", { network: choice.networkName, amount: amount(option.balanceUnits), token: choice.label })}
            </span>
          ) : null}
          {insufficient && (
            <div className="mt-2 rounded-lg bg-amber-50 px-3 py-2 text-amber-900 ring-1 ring-amber-600/20 ring-inset">
              <p>{t("wallet.insufficient", { token: choice.label, network: choice.networkName })}</p>
              {alternatives.length > 0 && (
                <div className="mt-1.5 flex flex-wrap items-center gap-1.5">
                  <span>{t("wallet.enoughOn")}</span>
                  {alternatives.map((c) => (
                    <button key={choiceKey(c)} type="button" onClick={() => onSelect(choiceKey(c))}
                      className="rounded-md bg-white px-2 py-0.5 font-medium ring-1 ring-amber-600/30 ring-inset hover:bg-amber-100 focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-[var(--accent)]">
                      {c.networkName} · {c.label}
                    </button>
                  ))}
                </div>
              )}
            </div>
          )}
        </div>
      )}
      <button
        type="button"
        className={primaryButton}
        onClick={account ? pay : connect}
        disabled={busy || phase === "sent" || (account !== null && !receiver)}
        aria-busy={busy || undefined}
        data-testid="wallet-button"
      >
        {busy ? <><Spinner />{busyLabel}</>
          : account ? t("wallet.payAmount", { amount: amount(due.decimal), token: choice.label })
          : (
            <>
              <svg className="size-4" viewBox="0 0 20 20" fill="none" stroke="currentColor" strokeWidth="1.75" strokeLinejoin="round" aria-hidden="true">
                <path d="M3 6.5A2.5 2.5 0 0 1 5.5 4h9A1.5 1.5 0 0 1 16 5.5V7M3 6.5v8A2.5 2.5 0 0 0 5.5 17h10a1.5 1.5 0 0 0 1.5-1.5v-7A1.5 1.5 0 0 0 15.5 7H5.5A2.5 2.5 0 0 1 3 6.5Z" />
                <circle cx="13.5" cy="12" r="1" fill="currentColor" stroke="none" />
              </svg>
              {t("wallet.pay")}
            </>
          )}
      </button>
      <div>
        {error && <p role="alert" className="rounded-lg bg-red-50 px-3 py-2 text-xs text-red-800 ring-1 ring-red-200 ring-inset" data-testid="wallet-error">{error}</p>}
        {phase === "sent" && txHash && (
          <p role="status" className="rounded-lg bg-zinc-50 px-3 py-2 text-xs text-zinc-700 ring-1 ring-zinc-200 ring-inset" data-testid="wallet-sent">
            {t("wallet.sent")} <code className="font-mono break-all">{txHash}</code>
          </p>
        )}
      </div>
    </section>
  );
}
