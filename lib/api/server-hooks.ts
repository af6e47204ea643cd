// Hooks on the Node HTTP server that `next start` creates, installed once from instrumentation.ts.
// They cover what no route handler sees: the socket's peer address (client-ip.ts), methods Next
// cannot route (TRACE, CONNECT, …: a text/plain 500 otherwise), and requests Node rejects before
// any handler runs (headers over --max-http-header-size: a bare 431 otherwise).
import http from "node:http";
import { randomBytes } from "node:crypto";
import { endpoints } from "@/lib/openapi/endpoints";
import { PEER_HEADER } from "./client-ip";
import { dialectOf } from "./dialect";
import { ApiError } from "./errors";

const ROUTED = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);
const API_PREFIX = /^\/(v1|v2|api\/v1)(\/|$)/;

const templates = endpoints.map((e) => ({
  method: e.method as string,
  re: new RegExp(`^${e.path.replace(/\{[^}]+\}/g, "[^/]+")}/?$`),
}));

/** The methods an API path answers, or null when no endpoint has that path. */
export function allowedMethods(pathname: string): string[] | null {
  const m = templates.filter((t) => t.re.test(pathname)).map((t) => t.method);
  return m.length ? [...new Set(m)] : null;
}

export function isApiPath(pathname: string): boolean {
  return API_PREFIX.test(pathname) || allowedMethods(pathname) !== null;
}

function envelope(err: ApiError, pathname: string | null): { status: number; headers: Record<string, string>; body: string } {
  const body = JSON.stringify(err.body(pathname === null ? "native" : dialectOf(pathname)));
  return {
    status: err.status,
    body,
    headers: {
      "Content-Type": "application/json; charset=utf-8", "Content-Length": String(Buffer.byteLength(body)),
      "Request-Id": `req_${randomBytes(12).toString("base64url")}`, ...err.headers,
    },
  };
}

/** An API request with a method Next does not route: 405 with Allow, or 404 for an unknown path. */
function unroutable(method: string, pathname: string): ApiError {
  const allowed = allowedMethods(pathname);
  if (!allowed) return new ApiError("invalid_request_error", "route_not_found", `Unrecognized request URL (${method}: ${pathname}).`, null, 404);
  return new ApiError("invalid_request_error", "method_not_allowed",
    `${method} is not allowed on ${pathname}; allowed: ${allowed.join(", ")}.`, null, 405, { Allow: allowed.join(", ") });
}

/** Node's own answer to a request it could not parse, as an envelope (what Node writes by default, in JSON). */
function onClientError(err: NodeJS.ErrnoException & { bytesParsed?: number }, socket: import("node:stream").Duplex): void {
  if (err.code === "ECONNRESET" || !socket.writable) {
    socket.destroy();
    return;
  }
  const tooBig = err.code === "HPE_HEADER_OVERFLOW";
  const e = tooBig
    ? new ApiError("invalid_request_error", "headers_too_large", "Request headers are too large.", null, 431)
    : new ApiError("validation_error", "malformed_request", "Malformed HTTP request.", null, 400);
  const r = envelope(e, null); // the request line itself could not be read
  const head = Object.entries(r.headers).map(([k, v]) => `${k}: ${v}\r\n`).join("");
  socket.end(`HTTP/1.1 ${r.status} ${http.STATUS_CODES[r.status]}\r\nConnection: close\r\n${head}\r\n${r.body}`);
}

/** A path whose percent-escapes do not decode to UTF-8 (`%ZZ`, `%ED%A0%80`): Next fails on it with a text/plain 500. */
function undecodable(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return false;
  } catch {
    return true;
  }
}

let installed = false;

export function installServerHooks(): void {
  if (installed) return;
  installed = true;
  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function (this: http.Server, event: string | symbol, ...args: unknown[]): boolean {
    if (event === "request") {
      const [req, res] = args as [http.IncomingMessage, http.ServerResponse];
      // overwrites whatever a client sent under this name: only the socket says who the peer is
      req.headers[PEER_HEADER] = req.socket.remoteAddress ?? "";
      const method = req.method ?? "";
      const pathname = (req.url ?? "/").split("?")[0];
      const refused = !isApiPath(pathname) ? null
        : undecodable(pathname) ? new ApiError("validation_error", "path_invalid", "The request path is not valid percent-encoded UTF-8.", null, 400)
        : !ROUTED.has(method) ? unroutable(method, pathname) : null;
      if (refused) {
        const r = envelope(refused, pathname);
        res.writeHead(r.status, r.headers).end(r.body);
        return true;
      }
    } else if (event === "clientError" && this.listenerCount("clientError") === 0) {
      onClientError(args[0] as NodeJS.ErrnoException, args[1] as import("node:stream").Duplex);
      return true;
    }
    return emit.apply(this, [event, ...args] as Parameters<typeof emit>);
  } as typeof emit;
}
