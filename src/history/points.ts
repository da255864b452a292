/**
 * The points a run adds to history for one dataset: every measured value
 * that is one number, under its metric key (./metric.ts). Values computed
 * from a classified column's cells are left out (SPEC §1.3); their counts
 * (missing, distinct, failing rows) stay.
 */
import type { MeasureResult } from '../engine/executor.js';
import { measureValueColumns, type DatasetPlan, type Measure } from '../plan/plan.js';
import type { DatasetSpec } from '../policy/types.js';
import { metricKey } from '../checks/history/metric.js';

/** Metric key → value, for one dataset and run. */
export type MetricValues = Record<string, number>;

/**
 * `keep` filters further: the report keeps only what its reader may see of
 * a measure's columns (counts always pass).
 */
export function datasetMetrics(plan: DatasetPlan, spec: Pick<DatasetSpec, 'columns'>, measures: ReadonlyMap<string, MeasureResult>, rows: number, keep: (measure: Measure, value: number) => boolean = () => true): MetricValues {
  const out: MetricValues = { row_count: rows };
  const owners = new Map<string, string[]>();
  for (const check of plan.checks) {
    if (check.kind === 'row') owners.set(check.measures.rows, [...(owners.get(check.measures.rows) ?? []), check.spec.id]);
  }
  const numberOf = (key: string): number | undefined => {
    const result = measures.get(key);
    if (result?.kind !== 'value' && result?.kind !== 'rows') return undefined;
    const value = result.kind === 'rows' ? result.failed : result.value;
    if (typeof value === 'bigint') return Number(value);
    // Six decimals, as reports show observed values: engines that sum in another order agree, and a
    // report's metrics equal the stored points (and the audit event's digest of them).
    return typeof value === 'number' && Number.isFinite(value) ? (Number.isInteger(value) ? value : Math.round(value * 1e6) / 1e6) : undefined;
  };
  const rowCounts = new Map<string | undefined, number>();
  for (const [key, measure] of Object.entries(plan.measures)) {
    if (measure.kind === 'row_count') {
      const value = numberOf(key);
      if (value !== undefined) rowCounts.set(measure.where, value);
    }
  }
  rowCounts.set(undefined, rows);
  for (const [key, measure] of Object.entries(plan.measures)) {
    if (readsClassifiedValues(measure, spec)) continue;
    const value = numberOf(key);
    if (value === undefined || !keep(measure, value)) continue;
    for (const owner of measure.kind === 'rows' ? (owners.get(key) ?? []) : [undefined]) {
      const name = measureMetricKey(measure, owner);
      if (name !== undefined) out[name] = value;
    }
    const total = measure.kind === 'null_count' ? rowCounts.get(measure.where) : undefined;
    if (measure.kind === 'null_count' && total !== undefined) {
      out[metricKey(`missing_percent(${measure.column})`, measure.where)] = total === 0 ? 0 : Math.round(((value * 100) / total) * 1e6) / 1e6;
    }
  }
  return sortedKeys(out);
}

function sortedKeys(values: MetricValues): MetricValues {
  return Object.fromEntries(Object.entries(values).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * The key of a measure's value in history, or undefined for measures that
 * are not one number (columns, key sets, file times, union counts).
 * `rowsOwner` names the row check a `rows` measure belongs to.
 */
export function measureMetricKey(measure: Measure, rowsOwner?: string): string | undefined {
  let key: string | undefined;
  switch (measure.kind) {
    case 'row_count':
      key = 'row_count';
      break;
    case 'null_count':
      key = `missing_count(${measure.column})`;
      break;
    case 'distinct_count':
      key = `distinct_count(${measure.column})`;
      break;
    case 'duplicate_count':
      key = `duplicate_count(${measure.columns.join(', ')})`;
      break;
    case 'stat':
      key = measure.stat === 'quantile' ? `quantile(${measure.column}, ${measure.q})` : `${measure.stat}(${measure.column})`;
      break;
    case 'aggregate':
      key = measure.expression.trim();
      break;
    case 'rows':
      key = rowsOwner !== undefined ? `failed_rows(${rowsOwner})` : undefined;
      break;
    default:
      key = undefined;
  }
  return key === undefined ? undefined : metricKey(key, measure.where);
}

/**
 * True when a measure's value is computed from a classified column's cells
 * (a max, a sum, an expression over it): such values never enter history
 * (SPEC §1.3, §6). Counts are not values and do.
 */
export function readsClassifiedValues(measure: Measure, dataset: Pick<DatasetSpec, 'columns'>): boolean {
  return measureValueColumns(measure).some((c) => (dataset.columns[c]?.classification ?? []).length > 0);
}
