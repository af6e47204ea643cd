// Deliveries are created in the transaction that writes their event: one row per enabled endpoint
// of the event's merchant and mode subscribed to its type, plus any ad-hoc targets, each with a
// graphile-worker job added by SQL on the same connection. A rolled-back change therefore sends
// nothing, and a committed one has its jobs even if the process dies right after COMMIT.
import { sql, type SQL } from "drizzle-orm";
import type { EventRow, Executor } from "@/lib/events/emit";
import { newDeliveryId } from "./ids";
import { adhocTargets } from "./targets";

export const DELIVER_TASK = "webhook.deliver";

/** One statement: insert the matching endpoints' deliveries and add a job for each. */
export async function enqueueDeliveries(exec: Executor, event: EventRow): Promise<void> {
  await exec.execute(sql`
    with ins as (
      insert into webhook_deliveries (id, event_id, endpoint_id, merchant_id, livemode)
      select 'msg_' || replace(gen_random_uuid()::text, '-', ''), ${event.id}, e.id, e.merchant_id, e.livemode
      from webhook_endpoints e
      where e.merchant_id = ${event.merchantId} and e.livemode = ${event.livemode} and e.enabled
        and e.events && array[${event.type}, '*']::text[]
      returning id
    )
    select graphile_worker.add_job(${DELIVER_TASK}, json_build_object('deliveryId', id), job_key := id) from ins`);
  for (const t of await adhocTargets(exec, event)) {
    const id = newDeliveryId();
    await exec.execute(sql`
      insert into webhook_deliveries (id, event_id, merchant_id, livemode, target_url, target_secret)
      values (${id}, ${event.id}, ${event.merchantId}, ${event.livemode}, ${t.url}, ${t.secret})`);
    await addDeliveryJob(exec, id);
  }
}

/** (Re)schedules a delivery's job; job_key replaces a waiting job, so one delivery has one job. */
export async function addDeliveryJob(exec: Executor, deliveryId: string, runAt?: Date, manual = false): Promise<void> {
  await exec.execute(addDeliveryJobSql(deliveryId, runAt, manual));
}

/** The SELECT that adds the job, to run alone or inside a larger statement. */
export function addDeliveryJobSql(deliveryId: string, runAt?: Date, manual = false): SQL {
  return sql`select graphile_worker.add_job(${DELIVER_TASK}, ${JSON.stringify({ deliveryId, manual })}::json,
    run_at := ${runAt ? runAt.toISOString() : null}::timestamptz, job_key := ${deliveryId})`;
}
