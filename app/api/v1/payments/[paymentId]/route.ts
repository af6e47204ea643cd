// Seed 004's own path: PATCH /api/v1/payments/{paymentId} (FRX-API header accepted, lib/api/auth).
import { methods } from "@/lib/api/route";
import { patchSeedHandler } from "@/app/v1/payments/[paymentId]/handlers";

export const { GET, POST, PUT, PATCH, DELETE } = methods({ PATCH: patchSeedHandler });
