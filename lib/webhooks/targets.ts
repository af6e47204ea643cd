// Ad-hoc webhook targets besides the merchant's endpoints: a lookup returns, for one event, any
// extra URLs that must receive it signed with their own secret. Per-address callback_url (seed 002,
// permanent deposit addresses) is one such lookup: that issue adds its function to TARGET_LOOKUPS
// and nothing else changes — deliveries, retries, the log and redelivery treat targets like endpoints.
import { depositAddressCallbacks } from "@/lib/deposit-addresses/callback-target";
import type { EventRow, Executor } from "@/lib/events/emit";

export type AdhocTarget = { url: string; secret: string };
export type TargetLookup = (exec: Executor, event: EventRow) => Promise<AdhocTarget[]>;

export const TARGET_LOOKUPS: TargetLookup[] = [depositAddressCallbacks];

export async function adhocTargets(exec: Executor, event: EventRow): Promise<AdhocTarget[]> {
  if (TARGET_LOOKUPS.length === 0) return [];
  return (await Promise.all(TARGET_LOOKUPS.map((f) => f(exec, event)))).flat();
}
