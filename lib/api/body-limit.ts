// Request bodies are capped before anything parses them (API.md "Limits"): a Content-Length over
// the limit is refused unread, and a chunked body is read only until it passes the limit.
import { config } from "@/lib/config";
import { ApiError } from "./errors";

export function tooLarge(limit: number): ApiError {
  return new ApiError("invalid_request_error", "request_too_large",
    `Request body exceeds the limit of ${limit} bytes.`, null, 413, { Connection: "close" });
}

/** A 413 when Content-Length declares more than the limit; "" (a body-less endpoint reads nothing). */
export function checkDeclaredLength(req: Request, limit = config().bodyLimitBytes): "" {
  const declared = req.headers.get("content-length");
  if (declared !== null && /^\d+$/.test(declared.trim()) && Number(declared) > limit) throw tooLarge(limit);
  return "";
}

/** The body as UTF-8 text, or a 413 once it is known to exceed the limit. */
export async function readBodyCapped(req: Request, limit = config().bodyLimitBytes): Promise<string> {
  checkDeclaredLength(req, limit);
  if (!req.body) return "";
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks, size)); // like Request.text(): a BOM is dropped
}
