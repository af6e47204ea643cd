// The error envelope of API.md: {"error": {type, code, message, param}} with a matching status,
// or the seed dialects' shapes of the same error (lib/api/dialect.ts says which path answers which).
import type { ErrorDialect } from "./dialect";

export type ErrorType =
  | "authentication_error" | "permission_error" | "validation_error" | "invalid_request_error" | "rate_limit_error" | "api_error";

const STATUS_OF: Record<ErrorType, number> = {
  authentication_error: 401, permission_error: 403, validation_error: 400, invalid_request_error: 404, rate_limit_error: 429, api_error: 500,
};

export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly type: ErrorType,
    readonly code: string,
    message: string,
    readonly param: string | null = null,
    status?: number,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.status = status ?? STATUS_OF[type];
  }

  /** The response body in the path's dialect (lib/api/dialect.ts). */
  body(dialect: ErrorDialect = "native"): Record<string, unknown> {
    switch (dialect) {
      // seed 001: clients read `error` as the message text; code and param stand beside it
      case "seed001": return { error: this.message, code: this.code, param: this.param };
      // seed 002: the `status` every answer carries, "error" here
      case "seed002": return { status: "error", message: this.message, code: this.code };
      default: return { error: { type: this.type, code: this.code, message: this.message, param: this.param } };
    }
  }
}

export const errors = {
  validation: (message: string, param: string | null = null, code = "parameter_invalid") =>
    new ApiError("validation_error", code, message, param),
  authentication: (message = "Invalid API key provided.", code = "invalid_api_key") =>
    new ApiError("authentication_error", code, message),
  /** a restricted key without the permission the endpoint needs */
  permission: (message: string) => new ApiError("permission_error", "insufficient_permissions", message),
  notFound: (what = "resource", param: string | null = null) =>
    new ApiError("invalid_request_error", "resource_missing", `No such ${what}.`, param, 404),
  conflict: (message: string, code = "conflict", param: string | null = null) =>
    new ApiError("invalid_request_error", code, message, param, 409),
  unprocessable: (message: string, code = "unprocessable", param: string | null = null) =>
    new ApiError("invalid_request_error", code, message, param, 422),
  rateLimited: (retryAfterSeconds: number) =>
    new ApiError("rate_limit_error", "rate_limit", "Too many requests for this API key; retry later.", null, 429, {
      "Retry-After": String(retryAfterSeconds),
    }),
  internal: () => new ApiError("api_error", "internal_error", "An unexpected error occurred. It has been logged."),
};
