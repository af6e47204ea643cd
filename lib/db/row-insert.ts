// An INSERT of one whole row whose statement text is built once per table and column set.
// On the hottest write (session create) drizzle's query builder was a fifth of the handler's CPU:
// it re-walks every SQL chunk with its entity checks on each call, while only the values change.
// Here the text comes from drizzle once and each value gets its column's own driver encoding —
// the same text and parameters drizzle would produce (test/unit/row-insert.test.ts checks that).
import { createHash } from "node:crypto";
import { getTableColumns, getTableName, type Column } from "drizzle-orm";
import { PgDialect, type PgTable } from "drizzle-orm/pg-core";

export type RowInsert = {
  /** `insert into "t" ("a", "b") values ($1, $2)` */
  text: string;
  values: unknown[];
};

type Shape = { text: string; columns: Column[]; keys: string[] };

const dialect = new PgDialect();
const shapes = new WeakMap<PgTable, Map<string, Shape>>();

function shapeOf(table: PgTable, present: Set<string>): Shape {
  let byKeys = shapes.get(table);
  if (!byKeys) shapes.set(table, (byKeys = new Map()));
  // in the table's column order, so the text matches drizzle's for a full row
  const entries = Object.entries(getTableColumns(table)).filter(([k]) => present.has(k));
  const id = entries.map(([k]) => k).join(",");
  let shape = byKeys.get(id);
  if (!shape) {
    const names = entries.map(([, c]) => dialect.escapeName(c.name)).join(", ");
    const params = entries.map((_, i) => `$${i + 1}`).join(", ");
    shape = {
      text: `insert into ${dialect.escapeName(getTableName(table))} (${names}) values (${params})`,
      columns: entries.map(([, c]) => c),
      keys: entries.map(([k]) => k),
    };
    byKeys.set(id, shape);
  }
  return shape;
}

/** The row's INSERT: every defined field of `row`, each encoded as its column encodes it. */
export function rowInsert<T extends PgTable>(table: T, row: T["$inferInsert"]): RowInsert {
  const fields = row as Record<string, unknown>;
  const present = new Set(Object.keys(fields).filter((k) => fields[k] !== undefined));
  const shape = shapeOf(table, present);
  if (shape.keys.length !== present.size) {
    const unknown = [...present].filter((k) => !shape.keys.includes(k));
    throw new Error(`rowInsert(${getTableName(table)}): not columns of the table: ${unknown.join(", ")}`);
  }
  const values = shape.keys.map((k, i) => {
    const v = fields[k];
    return v === null ? null : shape.columns[i].mapToDriverValue(v);
  });
  return { text: shape.text, values };
}

const names = new Map<string, string>();

/**
 * A name for a statement text, so node-postgres runs it as a named prepared statement: parsed and
 * planned once per pooled connection. Only for statements of a fixed set of shapes.
 */
export function statementName(text: string): string {
  let name = names.get(text);
  if (!name) names.set(text, (name = `s_${createHash("sha1").update(text).digest("hex").slice(0, 24)}`));
  return name;
}
