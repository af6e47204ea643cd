// The Overview's revenue: checkouts (sessions and payments) that succeeded in the last N days, by the
// day they succeeded (their session.succeeded / payment.deposited / payment.overpaid event), with
// the amount each charged; per day in US-dollar stablecoins (for the chart), and per asset and
// network for the table (an underpaid checkout the merchant accepted counts what was delivered). Amounts are exact decimal strings; the chart's heights are the only floats.
import { sql } from "drizzle-orm";
import { db } from "@/lib/db/client";
import { displayAmount, networkLabel } from "./sessions/chain-display";
import type { VolumePoint } from "./wallets/queries";
import { formatUnits } from "@/lib/money/units";

/** Token symbols counted as US dollars in the chart (each checkout's own decimals apply). */
const USD_STABLECOINS = ["USDC", "USDT", "USDC.e", "DAI"];

export type RevenueRow = { network: string; networkLabel: string; asset: string; count: number; amount: string };
export type Revenue = { days: number; count: number; usdPerDay: VolumePoint[]; byAsset: RevenueRow[] };

export async function revenueOverview(merchantId: string, livemode: boolean, days = 30): Promise<Revenue> {
  const { rows } = await db().execute<{ day: string; network: string; symbol: string; decimals: number; n: string; units: string }>(sql`
    with done as (
      -- what it charged; an underpaid one the merchant accepted: what was delivered
      select c.id, c.network, c.token_symbol, c.token_decimals, min(e.created_at) as at,
        case when c.accepted_at is not null and c.delivery_received_units is not null then least(c.amount_units, c.delivery_received_units) else c.amount_units end as amount_units
      from events e
      left join payments p on e.object_type = 'payment' and p.id::text = e.object_id
      join checkouts c on c.id = coalesce(p.checkout_id, case when e.object_type = 'session' then e.object_id::uuid end)
      where e.merchant_id = ${merchantId} and e.livemode = ${livemode}
        and e.type in ('session.succeeded', 'payment.deposited', 'payment.overpaid')
        and e.created_at > date_trunc('day', now() at time zone 'UTC') at time zone 'UTC' - make_interval(days => ${days - 1})
      group by c.id
    )
    select to_char(date_trunc('day', at at time zone 'UTC'), 'YYYY-MM-DD') as day, network, token_symbol as symbol,
      token_decimals as decimals, count(*)::text as n, sum(amount_units)::text as units
    from done group by 1, 2, 3, 4`);
  const scale = (units: bigint, decimals: number) => Number(units) / 10 ** decimals;
  const usdByDay = new Map<string, bigint>(); // micro-dollars, exact
  const byAsset = new Map<string, { network: string; symbol: string; decimals: number; count: number; units: bigint }>();
  let count = 0;
  for (const r of rows) {
    const units = BigInt(r.units);
    count += Number(r.n);
    if (USD_STABLECOINS.includes(r.symbol)) {
      const micro = r.decimals >= 6 ? units / 10n ** BigInt(r.decimals - 6) : units * 10n ** BigInt(6 - r.decimals);
      usdByDay.set(r.day, (usdByDay.get(r.day) ?? 0n) + micro);
    }
    const key = `${r.network}|${r.symbol}|${r.decimals}`;
    const a = byAsset.get(key) ?? { network: r.network, symbol: r.symbol, decimals: r.decimals, count: 0, units: 0n };
    a.count += Number(r.n);
    a.units += units;
    byAsset.set(key, a);
  }
  const today = new Date();
  const start = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  const usdPerDay: VolumePoint[] = [];
  for (let i = days - 1; i >= 0; i--) {
    const day = new Date(start - i * 86_400_000).toISOString().slice(0, 10);
    const micro = usdByDay.get(day) ?? 0n;
    usdPerDay.push({ day, amount: scale(micro, 6), label: displayAmount(micro, 6), exact: formatUnits(micro, 6) });
  }
  return {
    days,
    count,
    usdPerDay,
    byAsset: [...byAsset.values()]
      .sort((a, b) => b.count - a.count || a.network.localeCompare(b.network))
      .map((a) => ({ network: a.network, networkLabel: networkLabel(a.network, livemode), asset: a.symbol, count: a.count, amount: displayAmount(a.units, a.decimals) })),
  };
}

/** Whether the merchant has made any checkout in this mode (the Overview's getting-started step). */
export async function hasCheckouts(merchantId: string, livemode: boolean): Promise<boolean> {
  const { rows } = await db().execute<{ any: boolean }>(sql`
    select exists (select 1 from checkouts where merchant_id = ${merchantId} and livemode = ${livemode}) as any`);
  return rows[0]?.any === true;
}
