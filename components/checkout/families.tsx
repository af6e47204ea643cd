"use client";
// The checkout's side of the chain-family registry (lib/chains/registry holds the server's): per
// family, how a picked token is sent to the API, what its QR carries, and the component that
// pays it (RECEIVER_FAMILIES), or the transaction step a family's sessions pay on
// (TRANSACTION_FAMILIES). Client code only: these never import a server module (keys, database),
// only the families' pure prompt builders. A new family is its component and one line here.
import { isNativeToken } from "@/lib/checkout/native-token";
import dynamic from "next/dynamic";
import type { ComponentType, ReactNode } from "react";
import { Spinner } from "@/components/ui/spinner";
import { eip681 } from "@/lib/chains/evm/prompt";
import type { FamilyId } from "@/lib/chains/family";
import { solanaPayUri } from "@/lib/chains/solana/prompt";
import { tronUri } from "@/lib/chains/tron/prompt";
import { tonTransferUri } from "@/lib/chains/ton/prompt";
import { bip21Uri } from "@/lib/chains/bitcoin/prompt";
import type { MessageKey } from "@/lib/i18n";
import { coinbaseLink, metamaskLink, phantomLink, trustLink, tronlinkLink, type WalletLink } from "@/lib/checkout/wallet-links";
import { useI18n } from "@/lib/i18n/react";
import type { Due } from "./amounts";
import type { SolanaPayProps } from "./solana/solana-pay";
import type { ChoiceFamily, TokenChoice } from "./types";
import { WalletPay } from "./wallet-pay";

/** What a family's payment component gets for the payer's picked token. */
export type ChoicePayProps = {
  sessionId: string;
  clientSecret: string;
  choice: TokenChoice;
  /** the picker's choices of this family (a browser wallet switches between them) */
  choices: TokenChoice[];
  /** the receiver the server issued for this choice, null until it has */
  receiver: string | null;
  due: Due;
  hasWallet: boolean;
  onSelect: (key: string) => void;
  /** the manual instructions (QR, address, amount), or their placeholder or error */
  manual: ReactNode;
};

/** A family paid by sending to a receiver of ours, picked from the token list (EVM, Tron). */
export type ReceiverCheckoutFamily = {
  prompt: "receiver";
  /** the paymentMethod body of POST /v1/sessions/{id}/paymentMethods for this choice */
  paymentMethod(choice: TokenChoice): Record<string, unknown>;
  /** whether a receiver address the server answered is this family's (it answers the last choice it processed) */
  isReceiver(address: string): boolean;
  /** the QR's content, and whether it opens a wallet when tapped */
  qr(choice: TokenChoice, receiver: string, units: bigint): { uri: string; opensWallet: boolean };
  /** the "send only …" warning under the instructions */
  warning: MessageKey;
  /** mobile wallets of this family that open the checkout page in their own browser (lib/checkout/wallet-links) */
  wallets: (pageUrl: string) => WalletLink[];
  Pay: ComponentType<ChoicePayProps>;
};

/** A family paid by signing a transaction built for the payer's wallet, on a step of its own (Solana Pay). */
export type TransactionCheckoutFamily = { prompt: "transaction"; Pay: ComponentType<SolanaPayProps> };


/** EVM: the injected (EIP-1193) wallet when there is one, then the same instructions by hand. */
function EvmPay({ sessionId, clientSecret, choice, choices, receiver, due, hasWallet, onSelect, manual }: ChoicePayProps) {
  const { t } = useI18n();
  if (!hasWallet) return <>{manual}</>;
  return (
    <>
      <WalletPay sessionId={sessionId} clientSecret={clientSecret} choice={choice} choices={choices} receiver={receiver as `0x${string}` | null} due={due} onSelect={onSelect} />
      <div className="flex items-center gap-3 text-xs text-zinc-400" aria-hidden="true">
        <span className="h-px flex-1 bg-zinc-200" />{t("pay.orManually")}<span className="h-px flex-1 bg-zinc-200" />
      </div>
      {manual}
    </>
  );
}

/** Tron: paid by hand or by scanning the QR (no browser wallet standard to call). */
function TronPay({ manual }: ChoicePayProps) {
  return <>{manual}</>;
}

// The Solana wallet adapter (~150 KiB gzip) loads only when the payer picks Solana.
const SolanaPay = dynamic(() => import("./solana/solana-pay"), { ssr: false, loading: SolanaLoading });

function SolanaLoading() {
  const { t } = useI18n();
  return <p className="flex items-center gap-2 text-xs text-zinc-500" data-testid="solana-loading"><Spinner className="size-3" />{t("solana.loading")}</p>;
}

const evm: ReceiverCheckoutFamily = {
  prompt: "receiver",
  paymentMethod: (c) => ({ type: "evm", chainId: c.chainId, tokenAddress: c.tokenAddress }),
  isReceiver: (a) => a.startsWith("0x"),
  // EIP-681 with the amount
  qr: (c, receiver, units) => ({ uri: eip681({ receiver, token: isNativeToken(c.tokenAddress) ? null : c.tokenAddress, units, chainId: c.chainId }), opensWallet: true }),
  warning: "pay.onlyThis",
  wallets: (url) => [metamaskLink(url), trustLink(url), coinbaseLink(url)],
  Pay: EvmPay,
};

const tron: ReceiverCheckoutFamily = {
  prompt: "receiver",
  paymentMethod: () => ({ type: "tron" }),
  isReceiver: (a) => !a.startsWith("0x"),
  // the plain base58 address, which Tron wallets scan
  qr: (_c, receiver) => ({ uri: tronUri({ receiver }), opensWallet: false }),
  warning: "pay.onlyTron",
  wallets: (url) => [tronlinkLink(url)],
  Pay: TronPay,
};

/** Solana paid to a receiver of ours (a seed-004 payment's own address): by hand, or a Solana Pay transfer request QR any wallet opens. */
const solanaReceiver: ReceiverCheckoutFamily = {
  prompt: "receiver",
  // never sent: a payment's method is fixed (sessions on Solana take the transaction step)
  paymentMethod: (c) => ({ type: "solana", tokenAddress: c.tokenAddress }),
  isReceiver: (a) => !a.startsWith("0x"),
  qr: (c, receiver, units) => ({ uri: solanaPayUri({ receiver, token: isNativeToken(c.tokenAddress) ? null : c.tokenAddress, decimals: c.decimals, units }), opensWallet: true }),
  warning: "pay.onlyThis",
  wallets: (url) => [phantomLink(url)],
  Pay: ({ manual }) => <>{manual}</>,
};

const solana: TransactionCheckoutFamily = { prompt: "transaction", Pay: SolanaPay };

// TON: by hand or by scanning a ton://transfer link with the amount (and `jetton=<master>` for USDT) to the checkout's TON receiver
const ton: ReceiverCheckoutFamily = {
  prompt: "receiver",
  paymentMethod: () => ({ type: "ton" }),
  isReceiver: (a) => /^[A-Za-z0-9_-]{48}$/.test(a),
  qr: (c, receiver, units) => ({
    uri: tonTransferUri({ receiver, token: isNativeToken(c.tokenAddress) ? null : c.tokenAddress, decimals: c.decimals, units }), opensWallet: true,
  }),
  warning: "pay.onlyThis",
  wallets: () => [],
  Pay: TronPay,
};

/** Bitcoin, Litecoin: paid by hand or by scanning the BIP21 QR with the amount (a session's at its quote, a payment's own). */
const bitcoin: ReceiverCheckoutFamily = {
  prompt: "receiver",
  // the network picked: the server quotes the session's amount in its coin and issues a receiver there
  paymentMethod: (c) => ({ type: "bitcoin", network: c.network }),
  isReceiver: (a) => /^(bc|tb|rb|bcrt|ltc|tltc|rltc)1/i.test(a),
  qr: (c, receiver, units) => ({ uri: bip21Uri({ receiver, token: null, decimals: c.decimals, units }), opensWallet: true }),
  warning: "pay.onlyThis",
  wallets: () => [],
  Pay: TronPay,
};

/** Per family, how a choice pays a receiver of ours. */
export const RECEIVER_FAMILIES = { evm, tron, solana: solanaReceiver, ton, bitcoin } satisfies Record<ChoiceFamily, ReceiverCheckoutFamily>;
/** The families paid on a transaction step of their own (a session on Solana). */
export const TRANSACTION_FAMILIES = { solana } satisfies Partial<Record<FamilyId, TransactionCheckoutFamily>>;
