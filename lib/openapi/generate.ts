// The OpenAPI 3.1 document, generated from the same endpoint definitions (and zod schemas) the
// route wrapper validates with, so the reference cannot drift from the behaviour.
import { needed } from "@/lib/api-keys/permissions";
import { dialectOf, type ErrorDialect } from "@/lib/api/dialect";
import type { Endpoint } from "@/lib/api/endpoint";
import { SchemaCollector } from "./schemas";
import {
  DIALECT_ERROR_RESPONSES, ERROR_RESPONSE_PREFIX, ERROR_RESPONSES, HEADERS, seed001ErrorEnvelope, seed002ErrorEnvelope, KEY_SECURITY, PARAMETERS, REQUEST_ID_HEADER, SECURITY_SCHEMES, errorEnvelope,
  type ErrorResponseName,
} from "./shared";
import type { OpenApiDocument, Operation, Parameter, Reference, Response, SecurityRequirement } from "./types";

export type NamedEndpoint = Endpoint & { operationId?: string };

export type GenerateOptions = {
  serverUrl: string;
  version?: string;
  tagDescriptions?: Record<string, string>;
};

const API_DESCRIPTION = "Self-hosted crypto checkout. JSON in and out; errors use one envelope (seed-001 and seed-002 paths answer in their documents' shapes: Seed001Error, Seed002Error); " +
  "every POST/PATCH accepts an Idempotency-Key; amounts are exact decimal strings. A readable reference is served at /docs/api.";

const WRITES = new Set(["POST", "PATCH"]);

function pathParams(path: string): string[] {
  return [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
}

/** `GET /v1/sessions/{id}/tokenOptions` → `getV1SessionsIdTokenOptions` when no operationId was given. */
function defaultOperationId(e: Endpoint): string {
  const words = e.path.split(/[^A-Za-z0-9]+/).filter(Boolean);
  return e.method.toLowerCase() + words.map((w) => w[0].toUpperCase() + w.slice(1)).join("");
}

function security(e: Endpoint): SecurityRequirement[] {
  switch (e.auth) {
    case "none": return [];
    case "key": return KEY_SECURITY;
    // {} = the call is also accepted without a key (public view, or the session's clientSecret).
    case "optional-key":
    case "key-or-client-secret": return [...KEY_SECURITY, {}];
  }
}

function errorResponses(e: Endpoint): Record<string, Reference> {
  const names: ErrorResponseName[] = ["BadRequest"];
  // The wrapper authenticates and rate-limits only when a key can be presented.
  if (e.auth !== "none") names.push("Unauthorized");
  if (e.auth !== "none" && needed(e)) names.push("Forbidden");
  names.push("NotFound");
  if (WRITES.has(e.method)) names.push("Conflict");
  if (e.auth !== "none") names.push("TooManyRequests");
  names.push("InternalError");
  if (e.upstream) names.push("ServiceUnavailable");
  const prefix = ERROR_RESPONSE_PREFIX[dialectOf(e.path)];
  return Object.fromEntries(names.map((n) => [ERROR_RESPONSES[n][0], { $ref: `#/components/responses/${prefix}${n}` }]));
}

function operation(e: NamedEndpoint, schemas: SchemaCollector): Operation {
  const parameters: Array<Parameter | Reference> = pathParams(e.path).map((name) => ({
    name, in: "path", required: true, schema: { type: "string" },
  }));
  if (e.query) {
    const q = schemas.resolvedRoot(e.query, "input");
    for (const [name, prop] of Object.entries(q.properties ?? {})) {
      const { description, ...schema } = prop;
      parameters.push({ name, in: "query", required: q.required?.includes(name) ?? false, ...(description ? { description } : {}), schema });
    }
  }
  if (WRITES.has(e.method)) parameters.push({ $ref: "#/components/parameters/IdempotencyKey" });

  const status = String(e.status ?? 200);
  const content: Response["content"] = { "application/json": { schema: schemas.schema(e.response, "output") } };
  if (e.responseContentType) content[e.responseContentType] = { schema: { type: "string", contentMediaType: e.responseContentType } };
  const success: Response = {
    description: status === "201" ? "Created" : "OK",
    headers: {
      ...REQUEST_ID_HEADER,
      ...(WRITES.has(e.method) ? { "Idempotent-Replayed": { $ref: "#/components/headers/IdempotentReplayed" } } : {}),
    },
    content,
  };

  const op: Operation = {
    operationId: e.operationId ?? defaultOperationId(e),
    summary: e.summary,
    ...(e.description ? { description: e.description } : {}),
    tags: [e.tag],
    security: security(e),
    "x-tollgate-auth": e.auth,
    ...(parameters.length ? { parameters } : {}),
    responses: { [status]: success, ...errorResponses(e) },
  };
  if (e.body) {
    const body = schemas.resolvedRoot(e.body, "input");
    op.requestBody = {
      // an empty body is read as {}, so it may be omitted when no field is required
      required: (body.required?.length ?? 0) > 0,
      content: { "application/json": { schema: schemas.schema(e.body, "input") } },
    };
  }
  return op;
}

export function generateOpenApi(endpoints: NamedEndpoint[], opts: GenerateOptions): OpenApiDocument {
  const schemas = new SchemaCollector();
  for (const env of [errorEnvelope, seed001ErrorEnvelope, seed002ErrorEnvelope]) schemas.add(env, "output");
  for (const e of endpoints) {
    if (e.query) schemas.add(e.query, "input");
    if (e.body) schemas.add(e.body, "input");
    schemas.add(e.response, "output");
  }

  const paths: OpenApiDocument["paths"] = {};
  const seen = new Set<string>();
  for (const e of endpoints) {
    const method = e.method.toLowerCase();
    if (paths[e.path]?.[method]) throw new Error(`duplicate endpoint ${e.method} ${e.path}`);
    const op = operation(e, schemas);
    if (seen.has(op.operationId)) throw new Error(`duplicate operationId ${op.operationId}`);
    seen.add(op.operationId);
    (paths[e.path] ??= {})[method] = op;
  }

  const tags = [...new Set(endpoints.map((e) => e.tag))].map((name) => ({
    name, ...(opts.tagDescriptions?.[name] ? { description: opts.tagDescriptions[name] } : {}),
  }));

  return {
    openapi: "3.1.1",
    info: { title: "Tollgate API", version: opts.version ?? "v1", description: API_DESCRIPTION },
    servers: [{ url: opts.serverUrl.replace(/\/+$/, "") || "/" }],
    tags,
    paths,
    components: {
      schemas: schemas.components(),
      responses: Object.fromEntries((Object.keys(DIALECT_ERROR_RESPONSES) as ErrorDialect[]).flatMap((d) =>
        Object.entries(DIALECT_ERROR_RESPONSES[d]).map(([name, [, r]]) => [ERROR_RESPONSE_PREFIX[d] + name, r]))),
      parameters: PARAMETERS,
      headers: HEADERS,
      securitySchemes: SECURITY_SCHEMES,
    },
  };
}
