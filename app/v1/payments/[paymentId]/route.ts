// GET /v1/payments/{paymentId} – a payment · PATCH – submit its deposit currency (seed 004)
import { methods } from "@/lib/api/route";
import { getHandler, patchHandler } from "./handlers";

export const { GET, POST, PUT, PATCH, DELETE } = methods({ GET: getHandler, PATCH: patchHandler });
