// GET /livez – liveness: the web process answers. No database, no auth; also the benchmark's
// framework floor (a bare route handler).
export function GET(): Response {
  return Response.json({ ok: true });
}
