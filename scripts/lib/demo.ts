// First-run demo merchant for `npm start`: a dashboard login and a test API key, remembered in
// <data dir>/demo.json (mode 0600, local only) so every start can print them again.
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { eq } from "drizzle-orm";
import { settlementAddresses, users } from "@/db/schema";
import { createApiKey } from "@/lib/api-keys/keys";
import { db } from "@/lib/db/client";
import { createMerchant } from "@/lib/merchants/create-merchant";

export type Demo = { email: string; password: string; apiKey: string; merchantId: string };

export async function ensureDemoMerchant(dataDir: string, settlement: { network: string; address: string }[]): Promise<Demo> {
  const file = path.join(dataDir, "demo.json");
  if (existsSync(file)) {
    const demo = JSON.parse(readFileSync(file, "utf8")) as Demo;
    const [u] = await db().select({ id: users.id }).from(users).where(eq(users.merchantId, demo.merchantId)).limit(1);
    if (u) return demo; // else the database was reset under us: seed again
  }
  const email = "demo@tollgate.local";
  const password = randomBytes(9).toString("base64url");
  const existing = await db().select({ merchantId: users.merchantId }).from(users).where(eq(users.email, email)).limit(1);
  const merchantId = existing[0]?.merchantId ?? (await createMerchant({ name: "Demo Store", email, password })).merchantId;
  if (existing[0]) {
    // demo.json was lost but the account exists: reset its password so the printed login works
    const { hashPassword } = await import("@/lib/auth/password");
    await db().update(users).set({ passwordHash: await hashPassword(password) }).where(eq(users.email, email));
  }
  const { key } = await createApiKey(merchantId, false, "Demo test key");
  for (const s of settlement) {
    await db().insert(settlementAddresses).values({ merchantId, network: s.network, livemode: false, address: s.address }).onConflictDoNothing();
  }
  const demo: Demo = { email, password, apiKey: key, merchantId };
  writeFileSync(file, JSON.stringify(demo, null, 2), { mode: 0o600 });
  return demo;
}
