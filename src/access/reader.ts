/**
 * The reader of a report, and the one gate every value from the data passes
 * on its way into a report, an error message or an audit event (SPEC §1.3).
 *
 * A reader is either nobody in particular (no `--as`: values of classified
 * columns are redacted) or a principal (`check --as P`: P's access decision,
 * the same as `assay export` applies: denied columns hidden, masked columns
 * masked, row filters applied). Failing-row samples (report/samples.ts) and
 * values derived from columns, such as an observed `max` or an aggregate
 * (evaluate.ts), are both shown through `columnAccess`, so a value never
 * reaches a reader in a form that reader's export would not contain.
 */
import { table, type ColumnTable } from 'arquero';
import type { SampledRow } from '../engine/executor.js';
import type { ColumnRef } from '../plan/plan.js';
import type { ColumnType, Scalar } from '../values/types.js';
import type { DatasetSpec } from '../policy/types.js';
import { classificationsOf, decideAccess, maskRank, type AccessDecision, type Mask } from './decide.js';
import { applyMask, REDACTED } from './masks.js';
import type { AccessModel, Principal } from './model.js';
import { visibleRows } from './view.js';

/** How a reader may see one column. */
export type ColumnAccess =
  | { access: 'clear' }
  | { access: 'masked'; mask: Mask }
  /** No principal: the column is classified; shown as `***`. */
  | { access: 'redacted' }
  /** The principal may not read the column (or the dataset). */
  | { access: 'denied' };

export interface Reader {
  /** The principal the report is made for, or null. */
  principal: string | null;
  /** How the reader may see `column` of `dataset` (declared or found in the data). */
  columnAccess(dataset: DatasetSpec, column: string): ColumnAccess;
  /**
   * Which failing rows of a dataset the reader may see, given the columns the
   * data has and the sampled rows (by dataset-wide index).
   */
  visibleSampleRows(dataset: DatasetSpec, dataColumns: readonly string[], sampled: Map<number, SampledRow>): (index: number) => boolean;
  /**
   * False when row filters restrict what the reader sees of the dataset: a
   * value computed over all its rows (a max) could then come from a row the
   * reader may not see, so such values are withheld.
   */
  seesEveryRow(dataset: DatasetSpec): boolean;
  /** Applies a mask to one value (hash needs the reader's key; without it the value is hidden). */
  mask(mask: Mask, value: unknown, type: ColumnType | undefined): unknown;
}

/** No principal: every value of a classified column is redacted; rows all visible. */
export const anonymousReader: Reader = {
  principal: null,
  columnAccess: (dataset, column) => (classificationsOf(dataset, column).length > 0 ? { access: 'redacted' } : { access: 'clear' }),
  visibleSampleRows: () => () => true,
  seesEveryRow: () => true,
  mask: (mask, value, type) => applyMask(mask, value, type, undefined),
};

/** `check --as P`: P's access decision, row filters and masks, as in `assay export`. */
export function principalReader(model: AccessModel, principal: Principal, maskKey: string | undefined): Reader {
  const decisions = new Map<string, AccessDecision>();
  const decide = (dataset: DatasetSpec, column: string) => {
    const key = JSON.stringify([dataset.name, column]);
    let decision = decisions.get(key);
    if (!decision) decisions.set(key, (decision = decideAccess(model, principal, dataset, [column])));
    return decision;
  };
  return {
    principal: principal.name,
    columnAccess(dataset, column) {
      const verdict = decide(dataset, column).columns[column];
      if (!verdict || verdict.access === 'denied') return { access: 'denied' };
      return verdict.mask ? { access: 'masked', mask: verdict.mask } : { access: 'clear' };
    },
    visibleSampleRows(dataset, dataColumns, sampled) {
      const decision = decideAccess(model, principal, dataset, []);
      const indexes = [...sampled.keys()];
      try {
        const kept = visibleRows(decision, sampledTable(sampled, indexes, dataColumns));
        const visible = new Set(Array.from(kept.rows, (i) => indexes[i]));
        return (index) => visible.has(index);
      } catch {
        return () => false; // fail closed, where export refuses: a filter that cannot run shows no row
      }
    },
    seesEveryRow: (dataset) => decideAccess(model, principal, dataset, []).rowFilters.length === 0,
    mask: (mask, value, type) => applyMask(mask, value, type, maskKey),
  };
}

/** The sampled rows as a table of the data's columns, and only those (a filter on another column fails, as in export). */
function sampledTable(sampled: Map<number, SampledRow>, indexes: number[], dataColumns: readonly string[]): ColumnTable {
  // fromEntries defines own properties, so a column named "__proto__" stays a column.
  return table(Object.fromEntries(dataColumns.map((c) => [c, indexes.map((i) => sampled.get(i)!.values[c] ?? null)]))) as unknown as ColumnTable;
}

/**
 * The access that governs a value computed from several columns (over all
 * rows): denied or redacted if any of them is, or if row filters hide rows of
 * its dataset from the reader (`overAllRows`, false for the cells of one
 * visible row); else the most restrictive of their masks, else clear.
 * Columns of datasets not in `datasets` are denied (fail closed).
 */
export function combinedAccess(reader: Reader, datasets: ReadonlyMap<string, DatasetSpec>, sources: readonly ColumnRef[], overAllRows = true): ColumnAccess {
  let strictest: ColumnAccess = { access: 'clear' };
  for (const { dataset, column, derived } of sources) {
    const spec = datasets.get(dataset);
    const access: ColumnAccess = !spec ? { access: 'denied' } : overAllRows && !reader.seesEveryRow(spec) ? { access: 'redacted' } : reader.columnAccess(spec, column);
    if (access.access === 'denied') return access;
    // A value computed from masked cells is not a cell: the mask would show what it hides of them (a partial substring).
    if (access.access === 'redacted' || (access.access === 'masked' && derived)) strictest = { access: 'redacted' };
    else if (access.access === 'masked' && strictest.access !== 'redacted' && (strictest.access === 'clear' || (strictest.access === 'masked' && maskRank(access.mask) < maskRank(strictest.mask)))) strictest = access;
  }
  return strictest;
}

/**
 * A value as the reader may see it: `***` when redacted or denied, masked
 * when masked (each element of a list), else unchanged. Values the report
 * carries but that are not column values (counts) never come here.
 */
export function showThrough(reader: Reader, access: ColumnAccess, value: unknown, type?: ColumnType): unknown {
  if (value === null || value === undefined) return null;
  switch (access.access) {
    case 'clear':
      return value;
    case 'redacted':
    case 'denied':
      return REDACTED;
    case 'masked':
      return Array.isArray(value) ? value.map((v) => reader.mask(access.mask, v, type)) : reader.mask(access.mask, value, type);
  }
}

/** The gate of one check's values: shows each value through the reader's view of the check's value columns. */
export type ValueGate = (value: unknown) => Scalar | unknown[];

export function valueGate(reader: Reader, datasets: ReadonlyMap<string, DatasetSpec>, sources: readonly ColumnRef[]): ValueGate {
  if (sources.length === 0) return (value) => value as Scalar;
  const access = combinedAccess(reader, datasets, sources);
  // A value of one column is masked as that column's cells are (a date hashes as YYYY-MM-DD), so hashes stay joinable.
  const only = sources.length === 1 ? datasets.get(sources[0].dataset) : undefined;
  const type = only && Object.hasOwn(only.columns, sources[0].column) ? only.columns[sources[0].column].type : undefined;
  return (value) => showThrough(reader, access, value, type) as Scalar | unknown[];
}

/** The datasets whose values P would see hashed, for the ASSAY_MASK_KEY check before a run. */
export function datasetsHashedFor(model: AccessModel, principal: Principal, datasets: DatasetSpec[]): string[] {
  return datasets
    .filter((d) => Object.values(decideAccess(model, principal, d).columns).some((c) => c.mask?.name === 'hash'))
    .map((d) => d.name);
}
