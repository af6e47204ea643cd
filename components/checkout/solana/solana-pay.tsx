"use client";
// Paying on Solana: the wallet adapter (Wallet Standard discovery: any installed Solana wallet,
// no wallet-specific adapters) signs and sends the transaction the API builds for the connected
// wallet; a Solana Pay QR serves phone wallets. This module and everything it imports load only
// when the payer picks Solana (checkout-view imports it with next/dynamic).
import { WalletReadyState, type WalletName } from "@solana/wallet-adapter-base";
import { ConnectionProvider, useConnection, useWallet, WalletProvider } from "@solana/wallet-adapter-react";
import { Transaction } from "@solana/web3.js";
import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { Spinner } from "@/components/ui/spinner";
import { useI18n } from "@/lib/i18n/react";
import { solanaPayRequest } from "@/app/checkout/[id]/solana-actions";
import { amountDue, toBaseUnitsCeil } from "../amounts";
import { ApiError, chooseSolanaMethod } from "../api";
import { QrCode } from "../qr-code";
import type { PublicSession, SolanaCheckout } from "../types";
import { primaryButton } from "../wallet-pay";

export type SolanaPayProps = { session: PublicSession; clientSecret: string; solana: SolanaCheckout; merchant: string };

const NO_ADAPTERS: never[] = [];

export default function SolanaPay(props: SolanaPayProps) {
  return (
    <ConnectionProvider endpoint={props.solana.rpcUrl} config={{ commitment: "confirmed" }}>
      <WalletProvider wallets={NO_ADAPTERS} autoConnect={false} localStorageKey="tollgate:solanaWallet">
        <SolanaPayInner {...props} />
      </WalletProvider>
    </ConnectionProvider>
  );
}

function hexToBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

type Phase = "idle" | "connecting" | "preparing" | "confirming" | "sent";

function SolanaPayInner({ session, clientSecret, solana, merchant }: SolanaPayProps) {
  const { t, amount, locale } = useI18n();
  const { connection } = useConnection();
  const { wallets, wallet, select, connect, connected, publicKey, sendTransaction } = useWallet();
  const [mint, setMint] = useState(solana.tokens[0].mint);
  const [phase, setPhase] = useState<Phase>("idle");
  const [error, setError] = useState<string | null>(null);
  const [signature, setSignature] = useState<string | null>(null);
  const [wanted, setWanted] = useState(false);

  const token = solana.tokens.find((x) => x.mint === mint) ?? solana.tokens[0];
  const due = amount(formatDue(session, token.decimals));
  const installed = wallets.filter((w) => w.readyState === WalletReadyState.Installed || w.readyState === WalletReadyState.Loadable);

  // the Solana Pay QR: a request without a wallet, one per mint for this page
  const qr = useQuery({
    queryKey: ["solana-pay", session.sessionId, mint],
    queryFn: () => solanaPayRequest(session.sessionId, clientSecret, mint),
    staleTime: Infinity,
    retry: false,
  });

  function fail(e: unknown) {
    setWanted(false);
    setPhase("idle");
    const name = e instanceof Error ? e.name : "";
    const message = e instanceof ApiError ? e.message : e instanceof Error ? e.message : String(e);
    setError(/reject|cancel|denied/i.test(`${name} ${message}`) ? t("solana.rejected") : t("solana.error", { message: message || name }));
  }

  function start(name?: WalletName) {
    setError(null);
    if (name && wallet?.adapter.name !== name) select(name);
    setWanted(true);
  }

  // connect once a wallet is selected, pay once connected (select() only takes effect on the next render)
  useEffect(() => {
    if (!wanted || !wallet) return;
    if (!connected) {
      if (phase !== "connecting") {
        setPhase("connecting");
        connect().catch(fail);
      }
      return;
    }
    if (!publicKey) return;
    setWanted(false);
    void pay(publicKey.toBase58());
    // eslint-disable-next-line react-hooks/exhaustive-deps -- driven by the wallet's state
  }, [wanted, wallet, connected, publicKey]);

  async function pay(address: string) {
    try {
      setPhase("preparing");
      const { solana: req } = await chooseSolanaMethod(session.sessionId, clientSecret, locale, address, mint);
      setPhase("confirming");
      const sig = await sendTransaction(Transaction.from(hexToBytes(req.serializedTx)), connection);
      setSignature(sig);
      setPhase("sent");
    } catch (e) {
      fail(e);
    }
  }

  const busy = phase === "connecting" || phase === "preparing" || phase === "confirming";
  const walletName = wallet?.adapter.name ?? "";
  const busyLabel = phase === "connecting" ? t("solana.connecting", { wallet: walletName })
    : phase === "preparing" ? t("solana.preparing")
    : t("solana.confirm", { wallet: walletName });

  return (
    <section className="space-y-4" aria-labelledby="solana-heading" data-testid="solana-pay">
      <h2 id="solana-heading" className="text-sm font-semibold text-zinc-900">{t("solana.title")}</h2>
      {solana.tokens.length > 1 && (
        <div>
          <label htmlFor="solana-currency" className="mb-1 block text-xs font-medium text-zinc-500">{t("checkout.currency")}</label>
          <select id="solana-currency" value={mint} disabled={busy} onChange={(e) => setMint(e.target.value)}
            className="block w-full rounded-lg bg-white py-2 pl-3 text-sm font-medium text-zinc-900 shadow-xs ring-1 ring-zinc-300 ring-inset focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-[var(--accent)]">
            {solana.tokens.map((x) => <option key={x.mint} value={x.mint}>{x.label}</option>)}
          </select>
        </div>
      )}
      <p className="text-xs text-zinc-600">{t("solana.onlyThis", { amount: due, token: token.label, merchant })}</p>

      {installed.length === 0 ? (
        <p className="rounded-lg bg-zinc-50 px-3 py-2 text-xs text-zinc-600 ring-1 ring-zinc-200 ring-inset" data-testid="solana-no-wallet">{t("solana.noWallet")}</p>
      ) : installed.length === 1 || wallet ? (
        <button type="button" className={primaryButton} disabled={busy || phase === "sent"} aria-busy={busy || undefined}
          onClick={() => start(wallet?.adapter.name ?? installed[0].adapter.name)} data-testid="solana-pay-button">
          {busy ? <><Spinner />{busyLabel}</>
            : connected ? t("solana.payWith", { amount: due, token: token.label, wallet: walletName })
            : t("solana.connectAndPay")}
        </button>
      ) : (
        <fieldset className="space-y-2">
          <legend className="mb-1 text-xs font-medium text-zinc-500">{t("solana.chooseWallet")}</legend>
          {installed.map((w) => (
            <button key={w.adapter.name} type="button" className={primaryButton} disabled={busy} onClick={() => start(w.adapter.name)}>
              {/* eslint-disable-next-line @next/next/no-img-element -- the wallet's own data: icon */}
              <img src={w.adapter.icon} alt="" width={20} height={20} className="size-5 rounded" />
              {t("solana.connectAndPay")} · {w.adapter.name}
            </button>
          ))}
        </fieldset>
      )}
      {error && <p role="alert" className="rounded-lg bg-red-50 px-3 py-2 text-xs text-red-800 ring-1 ring-red-200 ring-inset" data-testid="solana-error">{error}</p>}
      {phase === "sent" && signature && (
        <p role="status" className="rounded-lg bg-zinc-50 px-3 py-2 text-xs text-zinc-700 ring-1 ring-zinc-200 ring-inset" data-testid="solana-sent">
          {t("solana.sent")} <code className="font-mono break-all">{signature}</code>
        </p>
      )}

      <div className="flex flex-col items-center gap-2 pt-2">
        <p className="text-xs font-medium text-zinc-500">{t("solana.scan")}</p>
        {qr.data?.ok === false ? (
          <p role="alert" className="text-xs text-red-800">{t("solana.qrFailed", { message: qr.data.message })}</p>
        ) : qr.data?.ok ? (
          <a href={qr.data.payUrl} data-testid="solana-pay-link"><QrCode value={qr.data.payUrl} alt={t("solana.qrAlt", { amount: due, token: token.label })} /></a>
        ) : qr.isError ? (
          <p role="alert" className="text-xs text-red-800">{t("solana.qrFailed", { message: String(qr.error) })}</p>
        ) : (
          <div className="size-44 animate-pulse rounded-md bg-zinc-100" aria-busy="true" />
        )}
      </div>
    </section>
  );
}

/** What the payer still owes, in the mint's decimals (rounded up), as a decimal string. */
function formatDue(session: PublicSession, decimals: number): string {
  const units = toBaseUnitsCeil(amountDue(session), decimals);
  const s = units.toString().padStart(decimals + 1, "0");
  const frac = s.slice(s.length - decimals).replace(/0+$/, "");
  return frac ? `${s.slice(0, s.length - decimals)}.${frac}` : s.slice(0, s.length - decimals);
}
