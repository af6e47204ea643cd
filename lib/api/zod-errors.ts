import type { z } from "zod";
import { ApiError, errors } from "./errors";

/** The first zod issue as a validation_error naming the parameter. */
export function zodToApiError(err: z.ZodError, where: "body" | "query"): ApiError {
  const issue = err.issues[0];
  const base = issue.path.map(String).join(".");
  if (issue.code === "unrecognized_keys") {
    const key = issue.keys[0];
    const param = base ? `${base}.${key}` : key;
    return errors.validation(`Received unknown parameter: ${param}`, param, "parameter_unknown");
  }
  const param = base || null;
  if (issue.code === "invalid_type" && issue.input === undefined) {
    return errors.validation(`Missing required parameter: ${param}`, param, "parameter_missing");
  }
  const label = param ? `Invalid ${where === "query" ? "query parameter" : "parameter"} ${param}: ` : "Invalid request body: ";
  return errors.validation(label + issue.message, param, "parameter_invalid");
}
