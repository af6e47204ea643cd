// The one wrapper every /v1 endpoint goes through: request id, auth, rate limit, JSON and zod
// parsing, idempotency, the error envelope and one structured log line per request.
import { randomBytes } from "node:crypto";
import type { z } from "zod";
import type { RowInsert } from "@/lib/db/row-insert";
import { logger, type Logger } from "@/lib/log/logger";
import { refusal } from "@/lib/api-keys/permissions";
import { keyPrincipal, type Principal } from "./auth";
import { dialectOf, type ErrorDialect } from "./dialect";
import type { AuthMode, Endpoint, Method } from "./endpoint";
import { ApiError, errors } from "./errors";
import * as idem from "./idempotency";
import { readBodyCapped, checkDeclaredLength } from "./body-limit";
import { failedRequestFields } from "./error-log";
import { checkJsonText, checkUrlText } from "./input-hygiene";
import { takeIpToken } from "./ip-rate-limit";
import { parseJsonBody } from "./json";
import { takeToken } from "./rate-limit";
import { zodToApiError } from "./zod-errors";

type Infer<T> = T extends z.ZodType ? z.output<T> : undefined;

/** Who a handler can be called by: the wrapper has already refused everyone else. */
export type PrincipalFor<A extends AuthMode> =
  A extends "key" ? Extract<Principal, { kind: "key" }>
  : A extends "key-or-client-secret" ? Exclude<Principal, { kind: "anonymous" }>
  : Principal;

export type Ctx<E extends Endpoint> = {
  req: Request;
  url: URL;
  params: Record<string, string>;
  query: Infer<E["query"]>;
  body: Infer<E["body"]>;
  /** the request body exactly as received (request signatures are over these bytes) */
  rawBody: string;
  principal: PrincipalFor<E["auth"]>;
  requestId: string;
  log: Logger;
};

/** `write` only for deferredWrite endpoints: their one write, committed with the idempotency key. */
export type Result<E extends Endpoint> = { status?: number; body: z.input<E["response"]>; write?: RowInsert } | Response;

/**
 * The principal a client secret stands for, or null when it does not match. Throws a 404 ApiError
 * when the object it would be for does not exist (seed 003: an unknown session is a 404 whatever
 * the credential) — asked also when no secret was sent.
 */
export type ClientSecretResolver = (secret: string | null, params: Record<string, string>) => Promise<Principal | null>;

/**
 * A check of the caller beyond its credential — a request signature, say — that must pass before
 * anything else happens, an Idempotency-Key replay included (a replay must not skip it).
 */
export type Verifier<E extends Endpoint> = (r: { req: Request; principal: PrincipalFor<E["auth"]>; params: Record<string, string>; rawBody: string }) => Promise<void>;

type RouteContext = { params: Promise<Record<string, string | string[]>> };
export type Handler = (req: Request, ctx: RouteContext) => Promise<Response>;

const JSON_HEADERS = { "Content-Type": "application/json; charset=utf-8" };

// Request ids take their 12 random bytes from a pooled buffer: one randomBytes call per 341
// requests instead of one each (a tenth of the wrapper's own CPU on session create). Not secrets.
const ID_BYTES = 12;
let idPool = Buffer.alloc(0);
let idAt = 0;

function newRequestId(): string {
  if (idAt + ID_BYTES > idPool.length) {
    idPool = randomBytes(ID_BYTES * 341);
    idAt = 0;
  }
  idAt += ID_BYTES;
  return `req_${idPool.toString("base64url", idAt - ID_BYTES, idAt)}`;
}

/** The request's child logger, made on first use: most requests only write the final line. */
function lazyChild(requestId: string): { get: () => Logger } {
  let child: Logger | undefined;
  return { get: () => (child ??= logger.child({ requestId })) };
}

function jsonResponse(status: number, body: string, requestId: string, extra: Record<string, string> = {}): Response {
  return new Response(body, { status, headers: { ...JSON_HEADERS, "Request-Id": requestId, ...extra } });
}

/** An error in the dialect of the path it answers (lib/api/dialect.ts). */
export function errorResponse(err: ApiError, requestId: string, dialect: ErrorDialect): Response {
  return jsonResponse(err.status, JSON.stringify(err.body(dialect)), requestId, err.headers);
}

/** Secret key first (so a bad key is a 401 whatever the body), then the endpoint's fallbacks. */
async function authenticate(e: Endpoint, req: Request): Promise<Principal | null> {
  if (e.auth === "none") return { kind: "anonymous" };
  const key = await keyPrincipal(req.headers);
  if (key) return key;
  if (e.auth === "key") throw errors.authentication("You did not provide an API key. Send it as 'Authorization: Bearer sk_…'.", "missing_api_key");
  if (e.auth === "optional-key") return { kind: "anonymous" };
  return null; // key-or-client-secret: decided once the body is parsed
}

async function clientSecretPrincipal(url: URL, rawBody: unknown, params: Record<string, string>, resolve?: ClientSecretResolver): Promise<Principal> {
  const fromBody = rawBody && typeof rawBody === "object" ? (rawBody as Record<string, unknown>).clientSecret : undefined;
  const secret = typeof fromBody === "string" ? fromBody : url.searchParams.get("clientSecret");
  const p = resolve ? await resolve(secret || null, params) : null;
  if (!secret) throw errors.authentication("Provide an API key or the session's clientSecret.", "missing_credentials");
  if (!p) throw errors.authentication("Invalid client secret for this object.", "invalid_client_secret");
  return p;
}

export function handle<E extends Endpoint>(
  endpoint: E,
  fn: (ctx: Ctx<E>) => Promise<Result<E>>,
  opts: { resolveClientSecret?: ClientSecretResolver; verify?: Verifier<E> } = {},
): Handler {
  const dialect = dialectOf(endpoint.path);
  return async (req, routeCtx) => {
    const started = performance.now();
    const requestId = newRequestId();
    const url = new URL(req.url);
    const log = lazyChild(requestId);
    let principal: Principal = { kind: "anonymous" };
    let res: Response;
    try {
      const params = Object.fromEntries(
        Object.entries((await routeCtx?.params) ?? {}).map(([k, v]) => [k, Array.isArray(v) ? v.join("/") : v]),
      );
      checkUrlText(url, params);
      const rawText = endpoint.body ? await readBodyCapped(req) : checkDeclaredLength(req);
      const keyOrNull = await authenticate(endpoint, req);
      // a restricted key (lib/api-keys/permissions) is refused before anything is read or written
      if (keyOrNull?.kind === "key") {
        const why = refusal(keyOrNull.permissions, endpoint);
        if (why) throw errors.permission(why);
      }
      // no API key: the caller's IP pays, before a client secret is looked up
      if (keyOrNull?.kind !== "key") takeIpToken(req.headers);
      const rawBody = endpoint.body ? parseJsonBody(rawText, { lenient: endpoint.lenientJson }) : undefined;
      checkJsonText(rawBody);
      principal = keyOrNull ?? (await clientSecretPrincipal(url, rawBody, params, opts.resolveClientSecret));
      // a secret key has its bucket; a payer's page (client secret) has one per session
      const bucket = principal.kind === "key" ? principal.keyId : principal.kind === "client_secret" ? `session:${principal.sessionId}` : null;
      if (bucket) {
        const wait = takeToken(bucket);
        if (wait > 0) throw errors.rateLimited(wait);
      }
      // authentication, authorization and signatures all run before any replay (API.md "Idempotency")
      if (opts.verify) await opts.verify({ req, principal: principal as PrincipalFor<E["auth"]>, params, rawBody: rawText });
      const body = endpoint.body ? endpoint.body.safeParse(rawBody, { reportInput: true }) : undefined;
      if (body && !body.success) throw zodToApiError(body.error, "body");
      const query = endpoint.query ? endpoint.query.safeParse(Object.fromEntries(url.searchParams), { reportInput: true }) : undefined;
      if (query && !query.success) throw zodToApiError(query.error, "query");
      const ctx = {
        req, url, params, principal, requestId, rawBody: rawText, body: body?.data, query: query?.data,
        get log() { return log.get(); },
      } as Ctx<E>;

      const idemKey = req.headers.get("idempotency-key");
      const scope = idem.callerScope(principal);
      const idemArgs = idemKey !== null && (req.method === "POST" || req.method === "PATCH") && scope
        ? { scope, key: checkedIdempotencyKey(idemKey), hash: idem.requestHash(req.method, url.pathname, url.search, rawText) } : null;
      if (endpoint.deferredWrite) {
        res = await runDeferred(endpoint, fn, ctx, idemArgs, dialect);
      } else if (idemArgs) {
        const out = await idem.idempotent(idemArgs.scope, idemArgs.key, idemArgs.hash, () => run(endpoint, fn, ctx), dialect);
        if ("passthrough" in out) res = out.passthrough;
        else res = storedResponse(out, requestId);
      } else {
        res = await run(endpoint, fn, ctx);
      }
    } catch (e) {
      if (e instanceof ApiError) res = errorResponse(e, requestId, dialect);
      else {
        log.get().error(failedRequestFields(req, url, e), "unhandled error");
        res = errorResponse(errors.internal(), requestId, dialect);
      }
    }
    if (logger.isLevelEnabled("info")) log.get().info({
      method: req.method, path: url.pathname, status: res.status, ms: Math.round(performance.now() - started),
      merchantId: principal.kind === "anonymous" ? undefined : principal.merchantId,
      keyPrefix: principal.kind === "key" ? principal.prefix : undefined,
    }, "request");
    return res;
  };
}

function checkedIdempotencyKey(key: string): string {
  if (key.length === 0 || key.length > 255) throw errors.validation("Idempotency-Key must be 1–255 characters.", "Idempotency-Key");
  return key;
}

function storedResponse(out: { response: idem.Stored; replayed: boolean }, requestId: string): Response {
  return jsonResponse(out.response.status, out.response.body, requestId, out.replayed ? { "Idempotent-Replayed": "true" } : {});
}

/** A deferredWrite endpoint: the handler computes the response and its one write; this commits it. */
async function runDeferred<E extends Endpoint>(
  endpoint: E, fn: (ctx: Ctx<E>) => Promise<Result<E>>, ctx: Ctx<E>,
  idemArgs: { scope: idem.Scope; key: string; hash: string } | null, dialect: ErrorDialect,
): Promise<Response> {
  let out: Result<E>;
  try {
    out = await fn(ctx);
  } catch (e) {
    if (!(idemArgs && e instanceof ApiError && e.status < 500)) throw e;
    return storedResponse(await idem.rememberClientError(idemArgs.scope, idemArgs.key, idemArgs.hash, e, dialect), ctx.requestId);
  }
  if (out instanceof Response) throw new Error(`${endpoint.method} ${endpoint.path}: a deferredWrite handler must return a body and its write`);
  const body = JSON.stringify(out.body);
  const status = out.status ?? endpoint.status ?? 200;
  if (!idemArgs) {
    if (out.write) await idem.executeWrite(out.write);
    return jsonResponse(status, body, ctx.requestId);
  }
  if (!out.write) throw new Error(`${endpoint.method} ${endpoint.path}: a deferredWrite handler returned no write`);
  return storedResponse(await idem.idempotentWrite(idemArgs.scope, idemArgs.key, idemArgs.hash, { status, body }, out.write), ctx.requestId);
}

async function run<E extends Endpoint>(endpoint: E, fn: (ctx: Ctx<E>) => Promise<Result<E>>, ctx: Ctx<E>): Promise<Response> {
  const out = await fn(ctx);
  if (out instanceof Response) {
    out.headers.set("Request-Id", ctx.requestId);
    return out;
  }
  return jsonResponse(out.status ?? endpoint.status ?? 200, JSON.stringify(out.body), ctx.requestId);
}

const ALL_METHODS: Method[] = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/** All five methods for a route file: the ones given, and a 405 in the error envelope for the rest. */
export function methods(handlers: Partial<Record<Method, Handler>>): Record<Method, Handler> {
  const allowed = ALL_METHODS.filter((m) => handlers[m]).join(", ");
  const notAllowed: Handler = async (req) => {
    const { pathname } = new URL(req.url);
    const err = new ApiError("invalid_request_error", "method_not_allowed",
      `${req.method} is not allowed on ${pathname}; allowed: ${allowed}.`, null, 405, { Allow: allowed });
    return errorResponse(err, newRequestId(), dialectOf(pathname));
  };
  return Object.fromEntries(ALL_METHODS.map((m) => [m, handlers[m] ?? notAllowed])) as Record<Method, Handler>;
}
