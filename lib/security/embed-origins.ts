// Which sites may frame a checkout page (CSP frame-ancestors): the merchant's own list
// (Settings → "Embed the checkout on"), looked up by the checkout's id and kept per web process
// for a short while — a checkout page is loaded and polled many times.
import { eq } from "drizzle-orm";
import { checkouts, merchants } from "@/db/schema";
import { db } from "@/lib/db/client";
import { logger } from "@/lib/log/logger";

const TTL_MS = 30_000;
const MAX_ENTRIES = 5_000;
const cache = new Map<string, { origins: string[]; at: number }>();
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The origins allowed to frame the checkout `id` (none for an unknown id or on any error: the safe answer). */
export async function checkoutEmbedOrigins(id: string): Promise<string[]> {
  if (!UUID.test(id)) return [];
  const hit = cache.get(id);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.origins;
  let origins: string[] = [];
  try {
    const [row] = await db().select({ origins: merchants.checkoutEmbedOrigins }).from(checkouts)
      .innerJoin(merchants, eq(merchants.id, checkouts.merchantId)).where(eq(checkouts.id, id)).limit(1);
    origins = row?.origins ?? [];
  } catch (err) {
    logger.warn({ err: err instanceof Error ? err.message : String(err) }, "checkout embedding lookup failed; the page is not frameable");
    return [];
  }
  if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value!);
  cache.set(id, { origins, at: Date.now() });
  return origins;
}

/** The checkout id of a hosted checkout path (/checkout/<id>…), or null. */
export function checkoutIdOf(pathname: string): string | null {
  const m = /^\/checkout\/([^/]+)/.exec(pathname);
  return m ? decodeURIComponent(m[1]) : null;
}
