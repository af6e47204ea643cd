import { z } from "zod";
import { defineEndpoint } from "@/lib/api/endpoint";
import { publicSessionSchema, sessionSchema } from "@/lib/sessions/schemas";

export const getSession = defineEndpoint({
  method: "GET",
  path: "/v1/sessions/{id}",
  tag: "Sessions",
  summary: "Retrieve a session",
  description: "With the merchant's API key: the full session (404 for another merchant's or mode's). " +
    "Without credentials, or with the session's `clientSecret`: the public view, without `metadata` and `clientSecret` " +
    "(the unguessable id is the capability, as for the hosted page). A wrong `clientSecret` is a 401.",
  auth: "optional-key",
  query: z.strictObject({
    clientSecret: z.string().optional().meta({ description: "the session's client secret (public view)" }),
  }),
  response: z.object({ session: z.union([sessionSchema, publicSessionSchema]) }),
});
