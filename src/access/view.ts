/**
 * The governed view of a loaded dataset for one access decision: only the
 * rows the principal's row filters keep, only the columns not denied, and
 * masked columns masked. `assay export` writes it; report samples use the
 * same decision, filter and masks (access/reader.ts), so a principal sees the
 * same thing in both.
 */
import type { ColumnTable } from 'arquero';
import { filterRowIndexes } from '../engine/arquero/row-filter.js';
import { ROW_COLUMN, type LoadedData } from '../sources/load.js';
import type { DatasetSpec } from '../policy/types.js';
import { decideAccess, type AccessDecision } from './decide.js';
import type { AccessModel, Principal } from './model.js';
import { bindRowFilters } from './filter.js';
import { applyMask } from './masks.js';

export interface GovernedView {
  /** Visible columns (clear or masked), in data order. */
  columns: string[];
  /** Indexes into the loaded table of the rows the principal may see, in data order. */
  rows: ArrayLike<number>;
  /** The bound row filter that chose them, or null. */
  rowFilter: string | null;
  /** Value of a visible column at a table index, masked as decided. */
  value(column: string, index: number): unknown;
}

/** Data columns plus declared ones, so undeclared columns are decided too (by name). */
export function viewColumns(declared: string[], data: LoadedData): string[] {
  return [...data.columns, ...declared.filter((c) => !data.columns.includes(c))];
}

/**
 * The rows a decision lets its principal see, as indexes into `table`: none
 * when the dataset is denied, all when no row filter applies, else those every
 * filter keeps. Throws a DataError when a filter reads a column `table` does
 * not have, or cannot be evaluated: the caller fails closed (`export` refuses,
 * report samples show no row). Export and report samples both decide here.
 */
export function visibleRows(decision: AccessDecision, table: ColumnTable): { rows: ArrayLike<number>; rowFilter: string | null } {
  if (decision.decision === 'deny') return { rows: new Uint32Array(0), rowFilter: null };
  const bound = bindRowFilters(decision.rowFilters, decision.principal);
  if (bound.expression === null) return { rows: Uint32Array.from({ length: table.numRows() }, (_, i) => i), rowFilter: null };
  const what = `row filter ${decision.rowFilters.map((f) => `"${f.policy}"`).join(', ')} on dataset "${decision.dataset}"`;
  return { rows: filterRowIndexes(table, bound.ast!, what), rowFilter: bound.expression };
}

/**
 * Reads cells of a loaded table: the original text where a value did not
 * parse as its declared type. Column arrays are fetched once (arquero's
 * `array()` copies the column on every call).
 */
export function cellReader(data: LoadedData): (column: string, index: number) => unknown {
  const arrays = new Map<string, ArrayLike<unknown>>();
  return (column, index) => {
    const invalid = data.invalidRaw.get(column)?.get(index);
    if (invalid !== undefined) return invalid;
    let values = arrays.get(column);
    if (!values) arrays.set(column, (values = data.table.array(column) as ArrayLike<unknown>));
    const value = values[index];
    return value === undefined ? null : value;
  };
}

export function governedView(decision: AccessDecision, data: LoadedData, maskKey: string | undefined): GovernedView {
  const { rows, rowFilter } = visibleRows(decision, data.table);
  const columns = data.columns.filter((c) => c !== ROW_COLUMN && decision.columns[c] && decision.columns[c].access !== 'denied');
  const cell = cellReader(data);
  return {
    columns,
    rows,
    rowFilter,
    value(column, index) {
      const verdict = decision.columns[column];
      if (!verdict || verdict.access === 'denied') return null;
      const value = cell(column, index);
      return verdict.mask ? applyMask(verdict.mask, value, data.types[column], maskKey) : value;
    },
  };
}

/** Does the decision mask any column with `hash` (which needs ASSAY_MASK_KEY)? */
export function usesHashMask(decision: AccessDecision): boolean {
  return Object.values(decision.columns).some((c) => c.access === 'masked' && c.mask?.name === 'hash');
}

/**
 * The rows of a dataset samples are picked among (DatasetStore's
 * `sampleFilter`): P's bound row filters, `false` when P may not read the
 * dataset, null when no filter applies. Picking among these rather than
 * hiding rows after the pick gives P up to `samples` rows P may see; the
 * picked rows still go through the Reader (visibleRows) before they are shown.
 */
export function principalSampleFilter(model: AccessModel, principal: Principal): (dataset: DatasetSpec) => string | false | null {
  return (dataset) => {
    const decision = decideAccess(model, principal, dataset);
    if (decision.decision === 'deny') return false;
    return bindRowFilters(decision.rowFilters, decision.principal).expression;
  };
}
