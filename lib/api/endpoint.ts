// An endpoint's contract: method, path, auth and the zod schemas that both validate requests
// and generate the OpenAPI document, so the docs cannot drift from validation.
import type { z } from "zod";

export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
/** key: secret key required · none: public · key-or-client-secret: either · optional-key: key when present, else public */
export type AuthMode = "key" | "none" | "key-or-client-secret" | "optional-key";

export type Endpoint = {
  method: Method;
  /** OpenAPI-style path, e.g. /v1/sessions/{id} */
  path: string;
  summary: string;
  description?: string;
  tag: string;
  auth: AuthMode;
  query?: z.ZodObject;
  body?: z.ZodObject;
  response: z.ZodType;
  status?: 200 | 201;
  /**
   * The handler writes nothing itself: it returns its response together with its one write
   * (Result.write), which commits in a single statement with the Idempotency-Key row — no
   * transaction round trips on the hot create path (lib/api/idempotency.ts idempotentWrite).
   */
  deferredWrite?: true;
  /** seed dialects: accept the slips their documents' examples contain (lib/api/lenient-json.ts) */
  lenientJson?: boolean;
  /** asks an upstream (a rate provider) that can be down: documents 503 with Retry-After */
  upstream?: true;
  /** a POST that only reads (seed 002's list): a restricted key's read access suffices (lib/api-keys/permissions) */
  readOnly?: true;
  /** extra (non-JSON) response, e.g. an image */
  responseContentType?: string;
};

export function defineEndpoint<const E extends Endpoint>(e: E): E {
  return e;
}
