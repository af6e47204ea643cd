// What a merchant has at hand when looking for a payment: its id (or a prefix), its title, a
// transaction hash (the payer's deposit, or one of our forwards and refunds), the address it was
// paid to (its receiver) or from (the payer), a metadata value. One condition over `checkouts`,
// shared by the sessions and payments lists; hashes and addresses match exactly in any of the
// forms they are written in (0x or not, any letter case for hex, EIP-55 checksummed).
import { and, eq, sql, type SQL } from "drizzle-orm";
import { getAddress, isAddress } from "viem";
import { checkouts } from "@/db/schema";

/** LIKE pattern text with its wildcards escaped (backslash is PostgreSQL's default LIKE escape). */
export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Hex digits and dashes only: something an id can start with. */
const ID_PREFIX = /^[0-9a-f-]{1,36}$/i;
/** what a hash or an address can look like (hex, base58): no spaces, long enough not to match by chance */
const TOKEN = /^[0-9A-Za-z]{26,100}$/;

/** The spellings one hash or address is stored in. */
function forms(text: string): string[] {
  const out = new Set([text]);
  const hex = /^(0x)?([0-9a-fA-F]+)$/.exec(text);
  if (hex) {
    const h = hex[2].toLowerCase();
    out.add(h);
    out.add(`0x${h}`);
  }
  if (isAddress(text, { strict: false })) out.add(getAddress(text));
  return [...out];
}

/** Checkouts of `merchantId` that `q` finds (undefined: no search). */
export function checkoutSearch(merchantId: string, q: string): SQL | undefined {
  const text = q.trim();
  if (!text) return undefined;
  const like = `%${escapeLike(text)}%`;
  const parts: SQL[] = [
    sql`${checkouts.displayTitle} ilike ${like}`,
    // jsonb_each_text over the metadata object: matches any value, whatever its key
    sql`exists (select 1 from jsonb_each_text(${checkouts.metadata}) as m(key, value) where m.value ilike ${like})`,
  ];
  if (ID_PREFIX.test(text)) {
    parts.push(UUID.test(text) ? eq(checkouts.id, text.toLowerCase()) : sql`${checkouts.id}::text like ${`${escapeLike(text.toLowerCase())}%`}`);
  }
  if (TOKEN.test(text.replace(/^0x/, ""))) {
    const f = forms(text);
    const list = sql.join(f.map((v) => sql`${v}`), sql`, `);
    parts.push(sql`${checkouts.id} in (
      select d.checkout_id from deposits d where d.merchant_id = ${merchantId} and d.checkout_id is not null
        and (d.tx_hash in (${list}) or d.from_address in (${list}) or d.to_address in (${list}))
      union all select o.checkout_id from outbound_txs o where o.merchant_id = ${merchantId} and o.checkout_id is not null and o.tx_hash in (${list})
      union all select r.checkout_id from receivers r where r.merchant_id = ${merchantId} and r.checkout_id is not null and r.address in (${list}))`);
  }
  return sql`(${sql.join(parts, sql` or `)})`;
}

/** The same search for a list that is not of checkouts (payments: a checkout of the same id once submitted). */
export function checkoutIdsMatching(merchantId: string, q: string): SQL | undefined {
  const cond = checkoutSearch(merchantId, q);
  return cond ? sql`(select ${checkouts.id} from ${checkouts} where ${and(eq(checkouts.merchantId, merchantId), cond)})` : undefined;
}
