import { z } from "zod";
import { defineEndpoint } from "@/lib/api/endpoint";
import { sessionSchema } from "@/lib/sessions/schemas";

export const cancelSession = defineEndpoint({
  method: "POST",
  path: "/v1/sessions/{id}/cancel",
  tag: "Sessions",
  summary: "Cancel a session",
  description: "Expires a session that has not been paid (`requires_payment_method` or `waiting_payment`) and emits `session.expired`. " +
    "A session that is processing or finished cannot be canceled (409).",
  auth: "key",
  body: z.strictObject({}),
  response: z.object({ session: sessionSchema }),
});
