// The parts every operation shares (API.md "Conventions"): the error envelope, the auth schemes,
// the Idempotency-Key parameter and the Request-Id header.
import { z } from "zod";
import type { ErrorDialect } from "@/lib/api/dialect";
import { ApiError, errors, type ErrorType } from "@/lib/api/errors";
import type { Header, Parameter, Response, SecurityScheme } from "./types";

export const ERROR_TYPES = [
  "authentication_error", "permission_error", "validation_error", "invalid_request_error", "rate_limit_error", "api_error",
] as const satisfies readonly ErrorType[];
// Compile-time guard: a new ErrorType in lib/api/errors.ts must be listed above.
type Unlisted = Exclude<ErrorType, (typeof ERROR_TYPES)[number]>;
export const ERROR_TYPES_COMPLETE: [Unlisted] extends [never] ? true : Unlisted = true;

export const errorEnvelope = z.object({
  error: z.object({
    type: z.enum(ERROR_TYPES).meta({ description: "broad category; fixes the HTTP status (see the responses)" }),
    code: z.string().meta({ description: "machine-readable reason, e.g. `parameter_missing`, `resource_missing`, `idempotency_error`" }),
    message: z.string().meta({ description: "human-readable explanation; may change, do not match on it" }),
    param: z.string().nullable().meta({ description: "the offending parameter (dotted path for nested fields), or null" }),
  }),
}).meta({ id: "Error", description: "Every error: HTTP status plus this envelope. Never a stack trace, never an HTML page." });

/** Seed 001 paths (API.md §3): the seed document's `{"error": "text"}`, with code and param beside it. */
export const seed001ErrorEnvelope = z.object({
  error: z.string().meta({ description: "human-readable explanation; may change, do not match on it" }),
  code: z.string().meta({ description: "machine-readable reason, as in the native envelope" }),
  param: z.string().nullable().meta({ description: "the offending parameter, or null" }),
}).meta({ id: "Seed001Error", description: "Errors on seed-001 paths (/v1/address, /v1/income, /v1/deposit, /v1/withdrawal, /v1/balance, /v1/system/sync, /v1/resolve)." });

/** Seed 002 paths (/v2/…): the `status` every seed-002 answer carries, "error" here. */
export const seed002ErrorEnvelope = z.object({
  status: z.literal("error"),
  message: z.string().meta({ description: "human-readable explanation; may change, do not match on it" }),
  code: z.string().meta({ description: "machine-readable reason, as in the native envelope" }),
}).meta({ id: "Seed002Error", description: "Errors on seed-002 paths (/v2/…)." });

const ERROR_SCHEMA: Record<ErrorDialect, string> = { native: "Error", seed001: "Seed001Error", seed002: "Seed002Error" };
/** Response component names are prefixed by dialect: BadRequest, Seed001BadRequest, Seed002BadRequest, … */
export const ERROR_RESPONSE_PREFIX: Record<ErrorDialect, string> = { native: "", seed001: "Seed001", seed002: "Seed002" };

export const SECURITY_SCHEMES: Record<string, SecurityScheme> = {
  bearerAuth: {
    type: "http", scheme: "bearer", bearerFormat: "sk_test_… / sk_live_…",
    description: "Secret API key: `Authorization: Bearer sk_test_…`. The key's mode (test/live) selects which objects it sees.",
  },
  xApiKey: { type: "apiKey", in: "header", name: "x-api-key", description: "The same secret key in `x-api-key` (seed 000 dialect)." },
  frxApi: { type: "apiKey", in: "header", name: "FRX-API", description: "The same secret key in `FRX-API` (seed 004 dialect)." },
  apiKeyHeader: { type: "apiKey", in: "header", name: "Api-key", description: "The same secret key in `Api-key` (seed 002 dialect)." },
};

/** Any one of the key schemes satisfies a key requirement. */
export const KEY_SECURITY = Object.keys(SECURITY_SCHEMES).map((name) => ({ [name]: [] as string[] }));

export const HEADERS: Record<string, Header> = {
  RequestId: {
    description: "Identifies this request in the server's logs; quote it when reporting a problem.",
    schema: { type: "string", examples: ["req_9f3k2Lw8Qx0aB1cD4eF5gH6i"] },
  },
  IdempotentReplayed: {
    description: "`true` when this response is the stored replay of an earlier request with the same Idempotency-Key.",
    schema: { type: "string", enum: ["true"] },
  },
  RetryAfter: { description: "Seconds to wait before retrying.", schema: { type: "integer", minimum: 1 } },
};

export const PARAMETERS: Record<string, Parameter> = {
  IdempotencyKey: {
    name: "Idempotency-Key",
    in: "header",
    required: false,
    description: "Makes a retry safe: the same key with the same body within 24 h replays the first response byte-for-byte (status included); the same key with a different body is a 409 `idempotency_error`.",
    schema: { type: "string", minLength: 1, maxLength: 255 },
  },
};

const requestId = { "Request-Id": { $ref: "#/components/headers/RequestId" } };

function errorResponses(dialect: ErrorDialect) {
  const errorResponse = (description: string, example: ApiError, extraHeaders: Response["headers"] = {}): Response => ({
    description,
    headers: { ...requestId, ...extraHeaders },
    content: { "application/json": { schema: { $ref: `#/components/schemas/${ERROR_SCHEMA[dialect]}` }, example: example.body(dialect) } },
  });
  return {
  BadRequest: ["400", errorResponse("`validation_error`: a missing, unknown or invalid parameter, or a body that is not JSON.",
    errors.validation("Missing required parameter: destination.address", "destination.address", "parameter_missing"))],
  Unauthorized: ["401", errorResponse("`authentication_error`: no API key where one is required, or an invalid or revoked one.",
    errors.authentication())],
  Forbidden: ["403", errorResponse("`permission_error`: a restricted key without the access this endpoint needs (read for GET, write otherwise) to its resource.",
    errors.permission("This restricted key has read-only access to checkout sessions; POST /v1/sessions needs write access. Create a key with that permission in the dashboard (API keys)."))],
  NotFound: ["404", errorResponse("`invalid_request_error`: no such object for this key's merchant and mode (another merchant's objects are 404, never 403).",
    errors.notFound("session", "id"))],
  Conflict: ["409", errorResponse("`invalid_request_error`: the object's state forbids this, or the Idempotency-Key was used with a different body.",
    errors.conflict("Keys for idempotent requests can only be used with the same parameters they were first used with.", "idempotency_error", "Idempotency-Key"))],
  TooManyRequests: ["429", errorResponse("`rate_limit_error`: too many requests for this API key.", errors.rateLimited(1),
    { "Retry-After": { $ref: "#/components/headers/RetryAfter" } })],
  InternalError: ["500", errorResponse("`api_error`: something went wrong on the server; it has been logged under the Request-Id.",
    errors.internal())],
  ServiceUnavailable: ["503", errorResponse("`api_error`: an upstream this request needs (the rate provider) is down; nothing was changed, retry after Retry-After.",
    new ApiError("api_error", "rate_unavailable", "No USDT/EUR price is available right now. Nothing was changed; retry later.", null, 503, { "Retry-After": "30" }),
    { "Retry-After": { $ref: "#/components/headers/RetryAfter" } })],
  } as const satisfies Record<string, readonly [string, Response]>;
}

/** Error responses by status, each with an example built by the same factories the API uses. */
export const ERROR_RESPONSES = errorResponses("native");
export const DIALECT_ERROR_RESPONSES: Record<ErrorDialect, typeof ERROR_RESPONSES> = {
  native: ERROR_RESPONSES, seed001: errorResponses("seed001"), seed002: errorResponses("seed002"),
};

export type ErrorResponseName = keyof typeof ERROR_RESPONSES;

export const REQUEST_ID_HEADER = requestId;
