// Any other path under /v1: a 404 in the error envelope, never an HTML page.
import { errorResponse } from "@/lib/api/route";
import { ApiError } from "@/lib/api/errors";
import { randomBytes } from "node:crypto";

async function notFound(req: Request): Promise<Response> {
  const path = new URL(req.url).pathname;
  const err = new ApiError("invalid_request_error", "route_not_found", `Unrecognized request URL (${req.method}: ${path}).`, null, 404);
  return errorResponse(err, `req_${randomBytes(12).toString("base64url")}`);
}

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
