// The dashboard's view of the ledger (issue 13): what the signed-in merchant owns per network and
// asset, formatted with the asset's decimals; for the instance's operator only, the instance's
// own accounts, the hot wallets and the solvency check per network; and which networks of a mode
// have payouts paused (the reason in full only for the operator).
import "server-only";
import { and, eq, isNotNull } from "drizzle-orm";
import { networkStatus } from "@/db/schema";
import { errorMessage } from "@/lib/chains/evm/sender";
import { config } from "@/lib/config";
import { networkSpec } from "@/lib/config/networks";
import { db } from "@/lib/db/client";
import { instanceAccounts, merchantBalances } from "@/lib/ledger/accounts";
import { measureSolvency } from "@/lib/ledger/solvency";
import { assetDisplay, formatAmount } from "@/lib/money/format";
import { formatUnits } from "@/lib/money/units";
import { withdrawalFamily } from "@/lib/withdrawals/families";

/** Human names of the assets Tollgate knows (the ticker stays the secondary label). */
const ASSET_NAMES: Record<string, string> = {
  USDC: "USD Coin", "USDC.e": "Bridged USD Coin", USDT: "Tether USD", ETH: "Ether", POL: "POL", BNB: "BNB", TRX: "TRON", SOL: "Solana", BTC: "Bitcoin", TON: "Toncoin", FTN: "Fasttoken",
};

export type AssetLabel = { code: string; name: string; ticker: string; network: string; networkLabel: string; decimals: number };

/** Display facts of a currency code on a network (unknown codes keep the code and 0 decimals: shown as base units). */
export function assetLabel(network: string, code: string): AssetLabel {
  const spec = networkSpec(network);
  const a = spec?.assets.find((x) => x.code === code);
  const ticker = a ? assetDisplay({ network, code }).symbol : code;
  return { code, name: ASSET_NAMES[ticker] ?? ticker, ticker, network, networkLabel: spec?.displayName ?? network, decimals: a?.decimals ?? 0 };
}

/** The native coin of a network, whose decimals the fee amounts use. */
function nativeOf(network: string): AssetLabel | null {
  const a = networkSpec(network)?.assets.find((x) => x.standard === "native");
  return a ? assetLabel(network, a.code) : null;
}

export type BalanceView = AssetLabel & {
  available: string; incoming: string; reserved: string;
  /** checkouts assigned to the merchant's next settlement batch (batch policy), not forwarded yet; null when none */
  settling: string | null;
  availableUnits: string;
  /** every digit, ungrouped (a title on hover, data for tests and scripts) */
  exact: { available: string; incoming: string; reserved: string; settling: string };
  /** network fees spent for the merchant, in the network's native coin ("0" when none) */
  fees: string; feeCode: string | null;
};

/**
 * The merchant's balances per network and asset. Fee accounts are kept in the native coin: they
 * are folded into that coin's row (the row shows what was spent on fees for the merchant).
 */
export async function balanceViews(merchantId: string, livemode: boolean): Promise<BalanceView[]> {
  const rows = await merchantBalances({ merchantId, livemode });
  return rows
    .filter((b) => b.available !== 0n || b.incoming !== 0n || b.reserved !== 0n || b.settling !== 0n || b.fees !== 0n)
    .map((b) => {
      const l = assetLabel(b.network, b.asset);
      const f = (v: bigint) => formatAmount(v, { network: b.network, code: b.asset });
      const native = nativeOf(b.network);
      return {
        ...l, available: f(b.available), incoming: f(b.incoming), reserved: f(b.reserved), availableUnits: b.available.toString(),
        settling: b.settling === 0n ? null : f(b.settling),
        exact: {
          available: formatUnits(b.available, l.decimals), incoming: formatUnits(b.incoming, l.decimals), reserved: formatUnits(b.reserved, l.decimals),
          settling: formatUnits(b.settling, l.decimals),
        },
        fees: b.fees === 0n ? "0" : formatAmount(b.fees, native ? { network: b.network, code: native.code } : { network: b.network, code: b.asset }),
        feeCode: b.fees === 0n ? null : assetDisplay({ network: b.network, code: native?.code ?? b.asset }).symbol,
      };
    });
}

/** available base units per currency code of the mode (the withdrawal form's bound). */
export async function availableByCode(merchantId: string, livemode: boolean): Promise<Record<string, string>> {
  const rows = await merchantBalances({ merchantId, livemode });
  return Object.fromEntries(rows.map((b) => [b.asset, b.available.toString()]));
}

export type PausedNetwork = { network: string; label: string; reason: string };

/** Networks of the mode whose payouts the solvency check paused. */
export async function pausedNetworks(livemode: boolean): Promise<PausedNetwork[]> {
  const rows = await db().select({ network: networkStatus.network, reason: networkStatus.payoutsPausedReason }).from(networkStatus)
    .where(and(eq(networkStatus.livemode, livemode), isNotNull(networkStatus.payoutsPausedReason)));
  return rows.map((r) => ({ network: r.network, label: networkSpec(r.network)?.displayName ?? r.network, reason: r.reason! }));
}

/** What a merchant who is not the operator is told: the operator's reason names other merchants' totals. */
export function pausedMessage(p: PausedNetwork, operator: boolean): string {
  return operator ? `Payouts on ${p.label} are paused: ${p.reason}` : `Payouts on ${p.label} are paused while the operator resolves a balance check.`;
}

export type InstanceAccountView = AssetLabel & { kind: string; balance: string };
export type SolvencyAssetView = AssetLabel & { held: string; owed: string; inFlight: string; short: boolean };
export type NetworkHealthView = {
  network: string; label: string; hotWallet: string | null;
  paused: string | null; checkedAt: Date | null;
  /** null when the check could not run (the error says why) */
  solvency: { block: string; assets: SolvencyAssetView[] } | null;
  error: string | null;
};

const KIND_ORDER = ["hot_wallet", "custody", "pending", "receivers", "fees"];

/** Operator only: the instance's own ledger accounts of the mode. */
export async function instanceAccountViews(livemode: boolean): Promise<InstanceAccountView[]> {
  const rows = await instanceAccounts(livemode);
  return rows
    .map((r) => {
      const l = assetLabel(r.network, r.asset);
      return { ...l, kind: r.kind, balance: formatAmount(r.balance, { network: r.network, code: r.asset }) };
    })
    .sort((a, b) => a.network.localeCompare(b.network) || a.code.localeCompare(b.code) || KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind));
}

/** Operator only: per enabled network of the mode with custody, the hot wallet and the solvency check (reads the chain). */
export async function networkHealthViews(livemode: boolean): Promise<NetworkHealthView[]> {
  const chains = config().networks.filter((c) => c.enabled && c.livemode === livemode && withdrawalFamily(c.family));
  const status = await db().select().from(networkStatus).where(eq(networkStatus.livemode, livemode));
  return Promise.all(chains.map(async (chain): Promise<NetworkHealthView> => {
    const spec = networkSpec(chain.network)!;
    const st = status.find((s) => s.network === chain.network);
    const base = { network: chain.network, label: spec.displayName, paused: st?.payoutsPausedReason ?? null, checkedAt: st?.solvencyCheckedAt ?? null };
    let hotWallet: string | null = null;
    try {
      hotWallet = await withdrawalFamily(chain.family)!.hotWallet(chain.key);
      const s = await measureSolvency(chain);
      const assets = (s?.assets ?? []).map((a) => {
        const l = assetLabel(chain.network, a.asset);
        const f = (v: bigint) => formatAmount(v, { network: chain.network, code: a.asset });
        return { ...l, held: f(a.held), owed: f(a.owed), inFlight: f(a.inFlight), short: a.held < a.owed - a.inFlight };
      });
      return { ...base, hotWallet, solvency: { block: (s?.block ?? 0n).toString(), assets }, error: null };
    } catch (e) {
      return { ...base, hotWallet, solvency: null, error: errorMessage(e) };
    }
  }));
}
