// POST /v1/payments – create a payment (seed 004 dialect)
import { handle, methods } from "@/lib/api/route";
import { createPayment as create } from "@/lib/payments/create";
import { serializePayment } from "@/lib/payments/serialize";
import { createPayment } from "./payments.types";

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  POST: handle(createPayment, async ({ principal, body, log }) => {
    const loaded = await create(principal, body);
    log.info({ paymentId: loaded.payment.id, livemode: loaded.payment.livemode }, "payment created");
    return { status: 201, body: { paymentInfo: serializePayment(loaded) } };
  }),
});
