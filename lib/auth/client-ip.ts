// The client's IP for sign-in throttling: the first X-Forwarded-For entry (Next.js sets it from
// the socket when a request arrives without one; a reverse proxy in front sets it), else "unknown".
export function clientIp(headers: Headers): string {
  const first = headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  return first ? first.slice(0, 64) : headers.get("x-real-ip")?.trim().slice(0, 64) || "unknown";
}
