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
  /** `insert into "t" ("a", "b")`: the text before its values, for a statement of several rows */
  head: string;
  values: unknown[];
};

type Shape = { text: string; head: string; columns: Column[]; keys: string[] };

const dialect = new PgDialect();
/** per table: the row's defined keys, in the row's own order, joined → its statement */
const shapes = new WeakMap<PgTable, Map<string, Shape>>();

function buildShape(table: PgTable, present: readonly string[]): Shape {
  // in the table's column order, so the text matches drizzle's for a full row
  const entries = Object.entries(getTableColumns(table)).filter(([k]) => present.includes(k));
  if (entries.length !== present.length) {
    const unknown = present.filter((k) => !entries.some(([c]) => c === k));
    throw new Error(`rowInsert(${getTableName(table)}): not columns of the table: ${unknown.join(", ")}`);
  }
  const names = entries.map(([, c]) => dialect.escapeName(c.name)).join(", ");
  const params = entries.map((_, i) => `$${i + 1}`).join(", ");
  const head = `insert into ${dialect.escapeName(getTableName(table))} (${names})`;
  return {
    text: `${head} values (${params})`,
    head,
    columns: entries.map(([, c]) => c),
    keys: entries.map(([k]) => k),
  };
}

/** The row's INSERT: every defined field of `row`, each encoded as its column encodes it. */
export function rowInsert<T extends PgTable>(table: T, row: T["$inferInsert"]): RowInsert {
  const fields = row as Record<string, unknown>;
  const present = Object.keys(fields).filter((k) => fields[k] !== undefined);
  const id = present.join(",");
  let byKeys = shapes.get(table);
  if (!byKeys) shapes.set(table, (byKeys = new Map()));
  let shape = byKeys.get(id);
  if (!shape) byKeys.set(id, (shape = buildShape(table, present)));
  const values = new Array<unknown>(shape.keys.length);
  for (let i = 0; i < values.length; i++) {
    const v = fields[shape.keys[i]];
    values[i] = v === null ? null : shape.columns[i].mapToDriverValue(v);
  }
  return { text: shape.text, head: shape.head, values };
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
