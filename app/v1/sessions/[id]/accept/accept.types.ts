import { z } from "zod";
import { defineEndpoint } from "@/lib/api/endpoint";
import { sessionSchema } from "@/lib/sessions/schemas";

export const acceptSession = defineEndpoint({
  method: "POST",
  path: "/v1/sessions/{id}/accept",
  tag: "Sessions",
  summary: "Accept an underpaid session",
  description: "Accepts what an underpaid session (`waiting_payment` with part of the amount received) has received as payment: " +
    "it moves on to processing and settles like a paid one, its exception stays `underpaid`; emits `session.accepted`. Anything else is a 409.",
  auth: "key",
  body: z.strictObject({}),
  response: z.object({ session: sessionSchema }),
});
