// zod → JSON Schema for the OpenAPI document. Schemas carrying `.meta({ id })` become
// components.schemas entries and are $ref'd; everything else is inlined where it is used.
import { isDeepStrictEqual } from "node:util";
import { z } from "zod";
import type { JsonSchema } from "./types";

export type Io = "input" | "output";

type Converted = { root: JsonSchema; defs: Record<string, JsonSchema> };

const SUBSCHEMA_MAPS = ["properties", "patternProperties", "$defs", "dependentSchemas"] as const;
const SUBSCHEMA_LISTS = ["prefixItems", "anyOf", "oneOf", "allOf"] as const;
const SUBSCHEMAS = [
  "items", "additionalProperties", "propertyNames", "contains", "not", "if", "then", "else",
  "unevaluatedProperties", "unevaluatedItems",
] as const;

/** Applies `fn` to every schema node, children first (keys that hold data, such as property names, are left alone). */
export function mapSchema(node: JsonSchema, fn: (s: JsonSchema) => JsonSchema): JsonSchema {
  const out: JsonSchema = { ...node };
  for (const k of SUBSCHEMA_MAPS) {
    const m = out[k] as Record<string, JsonSchema> | undefined;
    if (m) out[k] = Object.fromEntries(Object.entries(m).map(([name, s]) => [name, mapSchema(s, fn)]));
  }
  for (const k of SUBSCHEMA_LISTS) {
    const l = out[k] as JsonSchema[] | undefined;
    if (l) out[k] = l.map((s) => mapSchema(s, fn));
  }
  for (const k of SUBSCHEMAS) {
    const s = out[k];
    if (s && typeof s === "object") out[k] = mapSchema(s as JsonSchema, fn);
  }
  return fn(out);
}

// zod bounds every z.number().int() by the safe-integer range; that is noise in a reference.
function tidy(s: JsonSchema): JsonSchema {
  const out = { ...s };
  delete out.$schema;
  if (out.minimum === Number.MIN_SAFE_INTEGER) delete out.minimum;
  if (out.maximum === Number.MAX_SAFE_INTEGER) delete out.maximum;
  // OpenAPI 3.1 deprecates the singular `example` inside schemas in favour of JSON Schema's `examples`.
  if ("example" in out) {
    out.examples ??= [out.example];
    delete out.example;
  }
  return out;
}

/**
 * Converts every endpoint schema once, remembers the named ($ref'd) definitions per io, and names
 * them: an id keeps its name unless its input and output shapes differ (defaults, transforms),
 * in which case the request-side variant becomes `<id>Input`.
 */
export class SchemaCollector {
  private readonly cache = new Map<z.ZodType, Partial<Record<Io, Converted>>>();
  private readonly named = new Map<string, Partial<Record<Io, JsonSchema>>>();

  private convert(schema: z.ZodType, io: Io): Converted {
    const cached = this.cache.get(schema)?.[io];
    if (cached) return cached;
    const json = z.toJSONSchema(schema, { target: "draft-2020-12", io, unrepresentable: "any" }) as JsonSchema;
    const { $defs = {}, ...root } = json as JsonSchema & { $defs?: Record<string, JsonSchema> };
    const converted: Converted = {
      root: mapSchema(root, tidy),
      defs: Object.fromEntries(Object.entries($defs).map(([id, s]) => [id, mapSchema(s, tidy)])),
    };
    for (const [id, def] of Object.entries(converted.defs)) {
      // zod names unnamed recursive schemas __schemaN per call; such names would collide across calls.
      if (id.startsWith("__schema")) throw new Error(`a recursive schema needs .meta({ id }) to appear in the OpenAPI document (${id})`);
      const variants = this.named.get(id) ?? {};
      const prev = variants[io];
      if (prev && !isDeepStrictEqual(prev, def)) throw new Error(`two different schemas share the OpenAPI id "${id}"`);
      variants[io] = def;
      this.named.set(id, variants);
    }
    this.cache.set(schema, { ...this.cache.get(schema), [io]: converted });
    return converted;
  }

  /** Registers a schema (first pass); call before `schema()` so names are final. */
  add(schema: z.ZodType, io: Io): void {
    this.convert(schema, io);
  }

  private componentName(id: string, io: Io): string {
    const v = this.named.get(id);
    if (io === "input" && v?.input && v.output && !isDeepStrictEqual(v.input, v.output)) return `${id}Input`;
    return id;
  }

  private relink(s: JsonSchema, io: Io): JsonSchema {
    return mapSchema(s, (node) => {
      if (typeof node.$ref !== "string" || !node.$ref.startsWith("#/$defs/")) return node;
      return { ...node, $ref: `#/components/schemas/${this.componentName(node.$ref.slice("#/$defs/".length), io)}` };
    });
  }

  /** The schema as it appears inside an operation: named parts are $refs into components.schemas. */
  schema(schema: z.ZodType, io: Io): JsonSchema {
    return this.relink(this.convert(schema, io).root, io);
  }

  /** The root of `schema` with its own $ref (when it is a named schema) resolved, for parameter lists. */
  resolvedRoot(schema: z.ZodType, io: Io): JsonSchema {
    const { root, defs } = this.convert(schema, io);
    const ref = typeof root.$ref === "string" && root.$ref.startsWith("#/$defs/") ? defs[root.$ref.slice(8)] : undefined;
    return this.relink(ref ?? root, io);
  }

  /** components.schemas, sorted by name. */
  components(): Record<string, JsonSchema> {
    const out: Record<string, JsonSchema> = {};
    for (const [id, v] of this.named) {
      for (const io of ["output", "input"] as const) {
        const def = v[io];
        if (def) out[this.componentName(id, io)] ??= this.relink(def, io);
      }
    }
    return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
  }
}
