/**
 * Evaluate an access row filter (bound, see access/filter.ts) over a loaded
 * table: the indexes of the rows it keeps. A row where the filter is null or
 * false is not kept; a filter that reads a column the data lacks, or that
 * cannot be evaluated, keeps nothing and is an error (fail closed).
 */
import type { ColumnTable } from 'arquero';
import type { Expr } from '../../expr/ast.js';
import { columnsOf } from '../../expr/ast.js';
import { compiledOf, conditionMask, EvaluationError } from '../../expr/compile.js';
import { DataError } from '../../util/diagnostics.js';

export function filterRowIndexes(table: ColumnTable, filter: Expr, what: string): Uint32Array {
  const names = table.columnNames();
  const absent = columnsOf(filter).filter((c) => !names.includes(c));
  if (absent.length > 0) throw new DataError(`${what} cannot be applied: the data has no column ${absent.map((c) => `"${c}"`).join(', ')}`);
  const arrays = new Map<string, ArrayLike<unknown>>();
  const column = (name: string): ArrayLike<unknown> => {
    let values = arrays.get(name);
    if (!values) arrays.set(name, (values = table.array(name) as ArrayLike<unknown>));
    return values;
  };
  let mask: Uint8Array;
  try {
    mask = conditionMask(compiledOf(filter), { column }, table.numRows(), 'the row filter');
  } catch (e) {
    if (e instanceof EvaluationError) throw new DataError(`${what} cannot be applied: ${e.message}`);
    throw e;
  }
  const kept: number[] = [];
  for (let i = 0; i < mask.length; i++) if (mask[i]) kept.push(i);
  return Uint32Array.from(kept);
}
