// Read and update a merchant's dashboard settings, always scoped by merchant id.
import { and, eq, sql } from "drizzle-orm";
import { merchants, settlementAddresses } from "@/db/schema";
import { db } from "@/lib/db/client";
import { merchantPolicies, setBatchPolicy, type BatchPolicy } from "@/lib/settlement/policy";
import type { SettingsInput } from "./settings-schema";
import { settlementKey, type SettlementTarget } from "./settlement-networks";

export type MerchantSettings = {
  name: string;
  logoUrl: string | null;
  accentColor: string;
  defaultExpirySeconds: number;
  toleranceBps: number;
  /** origins allowed to frame the hosted checkout */
  embedOrigins: string[];
  /** settlementKey(network, livemode) → checksummed address */
  settlement: Record<string, string>;
  /** settlementKey(network, livemode) → batch policy (absent: forward at once) */
  batch: Record<string, BatchPolicy>;
  /** new EVM checkouts take earlier checkouts' free addresses (lib/receivers/reuse) */
  reuseAddresses: boolean;
};

export async function getMerchantSettings(merchantId: string): Promise<MerchantSettings | null> {
  const [m] = await db().select({
    name: merchants.name, logoUrl: merchants.logoUrl, accentColor: merchants.accentColor,
    defaultExpirySeconds: merchants.defaultExpirySeconds, toleranceBps: merchants.toleranceBps, embedOrigins: merchants.checkoutEmbedOrigins,
    reuseAddresses: merchants.reuseReceivers,
  }).from(merchants).where(eq(merchants.id, merchantId)).limit(1);
  if (!m) return null;
  const rows = await db().select().from(settlementAddresses).where(eq(settlementAddresses.merchantId, merchantId));
  const settlement = Object.fromEntries(rows.map((r) => [settlementKey(r.network, r.livemode), r.address]));
  const batch = Object.fromEntries(await merchantPolicies(merchantId));
  return { ...m, settlement, batch };
}

/** Saves the settings; an empty (null) settlement address removes that network's address. */
export async function updateMerchantSettings(merchantId: string, input: SettingsInput, targets: SettlementTarget[]): Promise<void> {
  await db().transaction(async (tx) => {
    await tx.update(merchants).set({
      name: input.name, logoUrl: input.logoUrl, accentColor: input.accentColor,
      defaultExpirySeconds: input.defaultExpirySeconds, toleranceBps: input.toleranceBps, checkoutEmbedOrigins: input.embedOrigins,
      reuseReceivers: input.reuseAddresses,
    }).where(eq(merchants.id, merchantId));
    for (const t of targets) {
      const policy = input.batch?.[t.key];
      if (t.batchable && policy !== undefined) await setBatchPolicy(tx, merchantId, t.network, t.livemode, policy);
    }
    for (const t of targets) {
      const address = input.settlement[t.key];
      if (address === undefined) continue;
      const row = and(eq(settlementAddresses.merchantId, merchantId), eq(settlementAddresses.network, t.network), eq(settlementAddresses.livemode, t.livemode));
      if (address === null) {
        await tx.delete(settlementAddresses).where(row);
        continue;
      }
      await tx.insert(settlementAddresses).values({ merchantId, network: t.network, livemode: t.livemode, address })
        .onConflictDoUpdate({
          target: [settlementAddresses.merchantId, settlementAddresses.network, settlementAddresses.livemode],
          set: { address, updatedAt: sql`now()` },
          // keep updated_at meaningful: only when the address really changes
          setWhere: sql`${settlementAddresses.address} <> excluded.address`,
        });
    }
  });
}
