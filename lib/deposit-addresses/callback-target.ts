// Per-address callback_url (seed 002): the deposit.* events of a deposit to a permanent address
// also go to that address's callback_url, signed with the address's own secret. Plugged into the
// webhook engine through TARGET_LOOKUPS (lib/webhooks/targets.ts).
import { and, eq, isNotNull } from "drizzle-orm";
import { depositAddresses, deposits } from "@/db/schema";
import type { EventRow, Executor } from "@/lib/events/emit";
import type { AdhocTarget } from "@/lib/webhooks/targets";

export async function depositAddressCallbacks(exec: Executor, event: EventRow): Promise<AdhocTarget[]> {
  if (event.objectType !== "deposit") return [];
  const rows = await exec.select({ url: depositAddresses.callbackUrl, secret: depositAddresses.callbackSecret })
    .from(deposits).innerJoin(depositAddresses, eq(depositAddresses.receiverId, deposits.receiverId))
    .where(and(eq(deposits.id, event.objectId), isNotNull(depositAddresses.callbackUrl), isNotNull(depositAddresses.callbackSecret)));
  return rows.map((r) => ({ url: r.url!, secret: r.secret! }));
}
