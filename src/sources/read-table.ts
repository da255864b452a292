/**
 * `readTable` for bytes already in memory (tests, fuzzing): it runs the same
 * streaming readers (./raw-batches.ts), so a table read here holds exactly
 * what a batched read yields.
 */
import { table as columnTable, type ColumnTable } from 'arquero';
import { readRawBatches } from './raw-batches.js';
import type { Format, ReadOptions } from './readers.js';

/** Read bytes of one file (named `file` in errors) into a table of raw values (no typing). */
export async function readTable(file: string, bytes: Buffer, format: Format, options: ReadOptions): Promise<ColumnTable> {
  const names: string[] = [];
  const columns = new Map<string, unknown[]>();
  let rows = 0;
  for await (const batch of readRawBatches({ file, bytes }, format, options, Number.POSITIVE_INFINITY)) {
    batch.names.forEach((name, c) => {
      if (!columns.has(name)) {
        names.push(name);
        columns.set(name, new Array(rows).fill(null));
      }
      columns.get(name)!.push(...batch.values[c]);
    });
    rows += batch.rows;
    for (const values of columns.values()) while (values.length < rows) values.push(null);
  }
  return columnTable(Object.fromEntries(names.map((n) => [n, columns.get(n)!]))) as unknown as ColumnTable;
}
