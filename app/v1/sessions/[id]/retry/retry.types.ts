import { z } from "zod";
import { defineEndpoint } from "@/lib/api/endpoint";
import { sessionSchema } from "@/lib/sessions/schemas";

export const retrySession = defineEndpoint({
  method: "POST",
  path: "/v1/sessions/{id}/retry",
  tag: "Sessions",
  summary: "Retry a failed settlement",
  description: "When a processing session's settlement failed (a forward or refund reverted, or it is waiting with a reason), starts its groups over " +
    "with a fresh forward on the next pass; emits `session.retried`. A session with nothing failed is a 409.",
  auth: "key",
  body: z.strictObject({}),
  response: z.object({ session: sessionSchema }),
});
