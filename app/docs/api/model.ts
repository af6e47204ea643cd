// Turns the generated OpenAPI document into what the reference page shows: operations grouped by
// tag, and JSON Schemas flattened into readable field rows.
import type { JsonSchema, OpenApiDocument, Operation, Parameter, Reference, Response } from "@/lib/openapi/types";

export type OperationEntry = { method: string; path: string; op: Operation; anchor: string };
export type TagGroup = { name: string; description?: string; anchor: string; operations: OperationEntry[] };

/** One row of a field table. `group` rows label a union variant and carry no type. */
export type FieldRow = {
  depth: number;
  prefix: string;
  name: string;
  type: string;
  required: boolean;
  description?: string;
  notes: string[];
  group?: boolean;
};

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");

export function groupByTag(doc: OpenApiDocument): TagGroup[] {
  const groups = doc.tags.map((t): TagGroup => ({ name: t.name, description: t.description, anchor: `tag-${slug(t.name)}`, operations: [] }));
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const g = groups.find((x) => x.name === op.tags[0]);
      g?.operations.push({ method: method.toUpperCase(), path, op, anchor: op.operationId });
    }
  }
  return groups.filter((g) => g.operations.length > 0);
}

export function deref<T>(doc: OpenApiDocument, x: T | Reference): T {
  let node: unknown = x;
  for (let hops = 0; hops < 8 && node && typeof node === "object" && "$ref" in node; hops++) {
    const parts = (node as Reference).$ref.replace(/^#\//, "").split("/");
    node = parts.reduce<unknown>((n, k) => (n as Record<string, unknown> | undefined)?.[k], doc);
  }
  return node as T;
}

export function parametersOf(doc: OpenApiDocument, op: Operation): Parameter[] {
  return (op.parameters ?? []).map((p) => deref<Parameter>(doc, p));
}

export function responsesOf(doc: OpenApiDocument, op: Operation): Array<{ status: string; response: Response }> {
  return Object.entries(op.responses).map(([status, r]) => ({ status, response: deref<Response>(doc, r) }));
}

const refName = (ref: string) => ref.split("/").pop() ?? ref;
const isNull = (s: JsonSchema) => s.type === "null";
const isObject = (s: JsonSchema) => s.type === "object" || s.properties !== undefined;
const fmt = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));

function notesOf(s: JsonSchema): string[] {
  const n: string[] = [];
  if (s.enum) n.push(`one of ${s.enum.map((v) => `\`${fmt(v)}\``).join(", ")}`);
  if (s.format) n.push(`format: ${s.format}`);
  if (s.pattern && !s.format) n.push(`pattern: \`${s.pattern}\``);
  if (s.minimum !== undefined || s.maximum !== undefined) n.push(`range: ${s.minimum ?? "…"}–${s.maximum ?? "…"}`);
  if (s.exclusiveMinimum !== undefined) n.push(`> ${s.exclusiveMinimum}`);
  if (s.exclusiveMaximum !== undefined) n.push(`< ${s.exclusiveMaximum}`);
  if (s.minLength !== undefined || s.maxLength !== undefined) n.push(`length: ${s.minLength ?? 0}–${s.maxLength ?? "…"}`);
  if (s.minItems !== undefined || s.maxItems !== undefined) n.push(`items: ${s.minItems ?? 0}–${s.maxItems ?? "…"}`);
  if (s.default !== undefined) n.push(`default: \`${fmt(s.default)}\``);
  if (s.examples?.length) n.push(`example: \`${fmt(s.examples[0])}\``);
  return n;
}

type Shape = { type: string; description?: string; notes: string[]; children: FieldRow[] };

/**
 * Describes one schema: its type label and, for objects, arrays of objects, maps and unions,
 * the rows of its nested fields. `seen` stops recursion through self-referencing components.
 */
function shape(doc: OpenApiDocument, s: JsonSchema, depth: number, path: string, seen: Set<string>): Shape {
  if (s.$ref) {
    const name = refName(s.$ref);
    const target = deref<JsonSchema>(doc, s);
    if (seen.has(name) || !target) return { type: name, description: s.description, notes: [], children: [] };
    const inner = shape(doc, target, depth, path, new Set(seen).add(name));
    const type = isObject(target) ? name : inner.type;
    return { ...inner, type, description: s.description ?? inner.description };
  }
  const base = { description: s.description, notes: notesOf(s) };
  const types = Array.isArray(s.type) ? s.type : undefined;
  if (types?.includes("null")) {
    const rest = types.filter((t) => t !== "null");
    const inner = shape(doc, { ...s, type: rest.length === 1 ? rest[0] : rest }, depth, path, seen);
    return { ...inner, type: `${inner.type} | null` };
  }
  const variants = s.anyOf ?? s.oneOf;
  if (variants) {
    const nonNull = variants.filter((v) => !isNull(v));
    const nullable = nonNull.length < variants.length;
    if (nonNull.length === 1) {
      const inner = shape(doc, nonNull[0], depth, path, seen);
      return { ...inner, type: nullable ? `${inner.type} | null` : inner.type, description: s.description ?? inner.description, notes: [...base.notes, ...inner.notes] };
    }
    const described = nonNull.map((v) => ({ v, sh: shape(doc, v, depth + 1, path, seen) }));
    const firstKeys = propertyNames(doc, nonNull[0]);
    const children = described.flatMap(({ v, sh }, i): FieldRow[] => {
      if (!sh.children.length) return [];
      const group = (name: string): FieldRow => ({ depth: depth + 1, prefix: "", name, type: "", required: false, notes: [], group: true });
      // A variant that is a subset of the first (a public view of an object) is summarised, not repeated.
      const keys = propertyNames(doc, v);
      if (i > 0 && firstKeys && keys && keys.every((k) => firstKeys.includes(k))) {
        const dropped = firstKeys.filter((k) => !keys.includes(k));
        const without = dropped.length ? `, without ${dropped.map((k) => `\`${k}\``).join(", ")}` : "";
        return [group(`${variantLabel(doc, v, i)}: the fields of ${described[0].sh.type}${without}`)];
      }
      return [group(variantLabel(doc, v, i)), ...sh.children];
    });
    const type = described.map(({ sh }) => sh.type).join(" | ") + (nullable ? " | null" : "");
    return { ...base, type, children };
  }
  if (s.const !== undefined) return { ...base, type: JSON.stringify(s.const), children: [] };
  if (s.type === "array" && s.items) {
    const inner = shape(doc, s.items, depth, `${path}[]`, seen);
    const t = inner.type.includes(" | ") ? `(${inner.type})` : inner.type;
    return { ...base, type: `${t}[]`, notes: [...base.notes, ...inner.notes], children: inner.children };
  }
  if (isObject(s)) {
    if (s.properties && Object.keys(s.properties).length > 0) {
      return { ...base, type: "object", children: fields(doc, s, depth, path, seen) };
    }
    if (s.additionalProperties && typeof s.additionalProperties === "object" && Object.keys(s.additionalProperties).length > 0) {
      const row = fieldRow(doc, "{key}", s.additionalProperties, true, depth, path, seen);
      return { ...base, type: `map<string, ${row[0].type}>`, children: row };
    }
    return { ...base, type: "object", children: [] };
  }
  if (typeof s.type === "string") return { ...base, type: s.type === "string" && s.contentMediaType ? s.contentMediaType : s.type, children: [] };
  return { ...base, type: "any", children: [] };
}

function propertyNames(doc: OpenApiDocument, v: JsonSchema): string[] | undefined {
  const target = v.$ref ? deref<JsonSchema>(doc, v) : v;
  return target?.properties ? Object.keys(target.properties) : undefined;
}

function variantLabel(doc: OpenApiDocument, v: JsonSchema, i: number): string {
  const target = v.$ref ? deref<JsonSchema>(doc, v) : v;
  for (const [name, p] of Object.entries(target?.properties ?? {})) {
    if (p.const !== undefined) return `when ${name} = ${JSON.stringify(p.const)}`;
    if (p.enum?.length === 1) return `when ${name} = ${JSON.stringify(p.enum[0])}`;
  }
  return v.$ref ? `variant ${refName(v.$ref)}` : `variant ${i + 1}`;
}

/** `path` is the dotted path of the parent ("" at the top, `data[]` inside an array). */
function fieldRow(doc: OpenApiDocument, name: string, s: JsonSchema, required: boolean, depth: number, path: string, seen: Set<string>): FieldRow[] {
  const prefix = path ? `${path}.` : "";
  const sh = shape(doc, s, depth + 1, `${prefix}${name}`, seen);
  return [{ depth, prefix, name, type: sh.type, required, description: s.description ?? sh.description, notes: sh.notes }, ...sh.children];
}

function fields(doc: OpenApiDocument, s: JsonSchema, depth: number, path: string, seen: Set<string>): FieldRow[] {
  const required = new Set(s.required ?? []);
  return Object.entries(s.properties ?? {}).flatMap(([name, p]) => fieldRow(doc, name, p, required.has(name), depth, path, seen));
}

/** The top-level type label and the field rows of a request or response schema. */
export function schemaRows(doc: OpenApiDocument, s: JsonSchema): { type: string; description?: string; rows: FieldRow[] } {
  const sh = shape(doc, s, 0, "", new Set());
  return { type: sh.type, description: sh.description, rows: sh.children };
}

/** A parameter's type label and notes, with its schema's own description as a fallback. */
export function parameterShape(doc: OpenApiDocument, p: Parameter): { type: string; notes: string[]; description?: string } {
  const sh = shape(doc, p.schema, 0, "", new Set());
  return { type: sh.type, notes: sh.notes, description: p.description ?? sh.description };
}

export const AUTH_LABELS: Record<string, { label: string; detail: string }> = {
  key: { label: "Secret key", detail: "Requires a secret API key (Bearer, or one of the alias headers)." },
  none: { label: "Public", detail: "No authentication." },
  "optional-key": { label: "Optional key", detail: "Works without a key; with one, the answer follows the key's merchant and mode." },
  "key-or-client-secret": { label: "Key or client secret", detail: "A secret API key, or the session's `clientSecret` in the body or query." },
};
