// GET /v1/sessions/{id}/tokenOptions – what the payer's wallet holds that can pay the session
import { handle, methods } from "@/lib/api/route";
import { resolveSessionClientSecret } from "@/lib/sessions/client-secret";
import { getTokenOptions as options } from "@/lib/sessions/token-options";
import { getTokenOptions } from "./token-options.types";

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  GET: handle(getTokenOptions, async ({ principal, params, query, log }) => {
    return { body: await options(principal, params.id, query, log) };
  }, { resolveClientSecret: resolveSessionClientSecret }),
});
