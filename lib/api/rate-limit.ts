// Token buckets, in process memory: each web process enforces the limit on its own share of
// traffic (documented in README: the effective limit scales with the number of web processes).
// One per API key; one per client IP for anonymous and client-secret callers (ip-rate-limit.ts).
import { config } from "@/lib/config";

type Bucket = { tokens: number; at: number };
type Limits = { perSecond: number; burst: number };
const buckets = new Map<string, Bucket>();
const MAX_BUCKETS = 50_000;

/** Takes one token; returns 0 when allowed, else the seconds to wait before retrying. */
export function takeToken(id: string, now = Date.now(), limits: Limits = config().rateLimit): number {
  const { perSecond, burst } = limits;
  let b = buckets.get(id);
  if (!b) {
    if (buckets.size >= MAX_BUCKETS) buckets.delete(buckets.keys().next().value as string);
    b = { tokens: burst, at: now };
    buckets.set(id, b);
  }
  b.tokens = Math.min(burst, b.tokens + ((now - b.at) / 1000) * perSecond);
  b.at = now;
  if (b.tokens >= 1) {
    b.tokens -= 1;
    return 0;
  }
  return Math.max(1, Math.ceil((1 - b.tokens) / perSecond));
}
