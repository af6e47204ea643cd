// Balances page: for each enabled currency of the mode on a supported family, the hot wallet's
// on-chain balance and the merchant's pending/processing withdrawals in it.
import { listCurrencies } from "@/lib/currencies/list";
import { resolveCurrency, SUPPORTED_FAMILIES } from "@/lib/currencies/resolve";
import { networkSpec } from "@/lib/config/networks";
import { errorMessage } from "@/lib/chains/evm/sender";
import { familyOf } from "@/lib/withdrawals/families";
import { queueTotals } from "@/lib/withdrawals/balance";
import { formatUnits } from "@/lib/money/units";

export type BalanceRow = {
  code: string; asset: string; network: string; hotWallet: string;
  balance: string | null; pending: string; processing: string; error: string | null;
};

export async function dashboardBalances(merchantId: string, livemode: boolean): Promise<BalanceRow[]> {
  const rows = listCurrencies(livemode).filter((c) => c.enabled && SUPPORTED_FAMILIES.has(networkSpec(c.network)?.family ?? ""));
  return Promise.all(rows.map(async (c): Promise<BalanceRow> => {
    const cur = resolveCurrency(c.code, livemode);
    const family = familyOf(cur.network.family);
    const hotWallet = await family.hotWallet();
    const queue = await queueTotals({ merchantId, livemode }, c.code);
    const fmt = (v: bigint) => formatUnits(v, c.decimals);
    let balance: string | null = null;
    let error: string | null = null;
    try {
      balance = fmt(await family.balanceOf(cur.chain, cur.contract, hotWallet));
    } catch (err) {
      error = errorMessage(err);
    }
    return { code: c.code, asset: c.asset, network: cur.network.displayName, hotWallet, balance, pending: fmt(queue.pending), processing: fmt(queue.processing), error };
  }));
}
