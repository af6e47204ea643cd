// Callers without an API key (public endpoints, a payer's page with its client secret) share one
// token bucket per client IP: the per-key buckets cannot hold back someone who has no key.
import { config } from "@/lib/config";
import { clientIp } from "./client-ip";
import { ApiError } from "./errors";
import { takeToken } from "./rate-limit";

/** Throws a 429 (Retry-After) when this request's IP has no token left. */
export function takeIpToken(headers: Headers): void {
  const wait = takeToken(`ip:${clientIp(headers)}`, Date.now(), config().ipRateLimit);
  if (wait > 0) {
    throw new ApiError("rate_limit_error", "rate_limit", "Too many requests from this address; retry later.", null, 429, {
      "Retry-After": String(wait),
    });
  }
}
