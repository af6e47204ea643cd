// Any path under /v1, /v2 and /api/v1 that no endpoint has: a 404 in the error envelope, never
// Next's HTML page. Each prefix has an optional catch-all route exporting these.
import { randomBytes } from "node:crypto";
import { dialectOf } from "./dialect";
import { ApiError } from "./errors";
import { errorResponse } from "./route";

async function notFound(req: Request): Promise<Response> {
  const path = new URL(req.url).pathname;
  const err = new ApiError("invalid_request_error", "route_not_found", `Unrecognized request URL (${req.method}: ${path}).`, null, 404);
  return errorResponse(err, `req_${randomBytes(12).toString("base64url")}`, dialectOf(path));
}

export const notFoundRoutes = { GET: notFound, POST: notFound, PUT: notFound, PATCH: notFound, DELETE: notFound };
