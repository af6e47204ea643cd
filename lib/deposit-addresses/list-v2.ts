// seed 002 list: the merchant's deposit addresses of the mode, filtered by currency and network.
import { and, asc, eq, inArray } from "drizzle-orm";
import { depositAddresses } from "@/db/schema";
import { errors } from "@/lib/api/errors";
import { NETWORKS } from "@/lib/config/networks";
import { resolvePair, V2_NETWORK_LABEL } from "@/lib/currencies/resolve";
import { db } from "@/lib/db/client";
import { receivedTotals } from "./create";
import { serializeV2 } from "./dialects";

type Owner = { merchantId: string; livemode: boolean };

export async function listV2(owner: Owner, q: { currency?: string; network?: string; limit: number; page: number }) {
  const where = [eq(depositAddresses.merchantId, owner.merchantId), eq(depositAddresses.livemode, owner.livemode)];
  if (q.currency && q.network) {
    where.push(eq(depositAddresses.currency, resolvePair(q.currency, q.network, owner.livemode).code));
  } else if (q.currency) {
    const c = q.currency.toLowerCase();
    const codes = NETWORKS.flatMap((n) => n.assets).filter((a) => a.asset.toLowerCase() === c || a.code.toLowerCase() === c).map((a) => a.code);
    if (codes.length === 0) throw errors.validation(`Unknown currency '${q.currency}'.`, "currency", "currency_unknown");
    where.push(inArray(depositAddresses.currency, codes));
  } else if (q.network) {
    const n = q.network.toLowerCase();
    const names = NETWORKS.filter((s) => s.name === n || V2_NETWORK_LABEL[s.name] === n).map((s) => s.name);
    if (names.length === 0) throw errors.validation(`Unknown network '${q.network}'.`, "network", "network_unknown");
    where.push(inArray(depositAddresses.network, names));
  }
  const rows = await db().select().from(depositAddresses).where(and(...where))
    .orderBy(asc(depositAddresses.createdAt), asc(depositAddresses.id)).limit(q.limit).offset((q.page - 1) * q.limit);
  const totals = await receivedTotals(rows.map((r) => r.id));
  return rows.map((r) => serializeV2(r, totals.get(r.id)));
}
