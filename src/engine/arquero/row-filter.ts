/**
 * Evaluate an access row filter (already bound and allow-listed, see
 * access/filter.ts) over a loaded table: the indexes of the rows it keeps.
 * A row where the expression is null or throws is not kept (fail closed).
 */
import type { ColumnTable } from 'arquero';
import { DataError, errorMessage } from '../../util/diagnostics.js';

export function filterRowIndexes(table: ColumnTable, expression: string, what: string): Uint32Array {
  try {
    const kept = table.filter(`(${expression}) ? true : false`) as unknown as ColumnTable;
    return Uint32Array.from(kept.indices());
  } catch (e) {
    throw new DataError(`${what} cannot be applied: ${errorMessage(e)}`);
  }
}
