/**
 * arquero evaluates the expressions users write (`where`, `expression.row`,
 * the row arguments and outer part of `aggregate.expr`); they were
 * allow-listed at validation. Built-in checks do not go through arquero:
 * they run as plain loops over the batch's columns (see ../tasks.ts).
 */
import { table, type ColumnTable } from 'arquero';

/** An arquero table over a batch's column arrays (no copy); absent columns read as null. */
export function batchTable(columns: Map<string, ArrayLike<unknown>>, rows: number, needed: Iterable<string>): ColumnTable {
  const data: Record<string, ArrayLike<unknown>> = {};
  for (const [name, values] of columns) data[name] = values;
  for (const name of needed) if (!(name in data)) data[name] = new Array(rows).fill(null);
  if (Object.keys(data).length === 0) data.__assay_rows = new Uint8Array(rows);
  return table(data as Record<string, unknown[]>) as unknown as ColumnTable;
}

/** Per-row values of a row expression. */
export function rowValues(t: ColumnTable, expression: string): ArrayLike<unknown> {
  return (t.derive({ __assay_value: expression }) as unknown as ColumnTable).array('__assay_value') as ArrayLike<unknown>;
}

/** Evaluate the outer part of an aggregate expression over its aggregate results. */
export function outerValue(expression: string, params: Record<string, unknown>): unknown {
  const one = table({ __assay_row: [0] }).params(params) as unknown as ColumnTable;
  return (one.derive({ __assay_value: expression }) as unknown as ColumnTable).get('__assay_value', 0);
}

/** Fallback for aggregates without mergeable states: one rollup over the kept columns. */
export function rollupValue(columns: Record<string, unknown[]>, rows: number, expression: string): unknown {
  const data = Object.keys(columns).length > 0 ? columns : { __assay_rows: new Array(rows).fill(0) };
  return ((table(data).rollup({ __assay_value: expression }) as unknown as ColumnTable).get('__assay_value', 0));
}
