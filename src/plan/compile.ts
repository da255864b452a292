/**
 * Stage 4, compile: normalized policies → Plan. Decides everything that can
 * be decided without data: which measures each dataset needs (deduplicated
 * across checks), which columns each check reads, and its parsed thresholds.
 */
import { checkDefinition } from '../checks/index.js';
import type { CheckContext } from '../checks/define.js';
import { boundsOf, parseCondition } from '../checks/thresholds.js';
import { parseExpression } from '../expr/parse.js';
import type { DatasetSpec, PolicySet } from '../policy/types.js';
import { measureKey, type DatasetPlan, type Measure, type Plan, type PlannedCheck, type RowsMeasure } from './plan.js';

export function compilePlan(policy: PolicySet, only?: string[]): Plan {
  const datasets = only && only.length > 0 ? policy.datasets.filter((d) => only.includes(d.name)) : policy.datasets;
  return { datasets: datasets.map(compileDataset) };
}

export function compileDataset(dataset: DatasetSpec): DatasetPlan {
  const plan: DatasetPlan = { name: dataset.name, source: dataset.source, columns: dataset.columns, measures: {}, checks: [] };
  const ctx: CheckContext = { dataset, column: (name) => dataset.columns[name] };
  const add = (measure: Measure): string => {
    const key = measureKey(measure);
    plan.measures[key] ??= measure;
    return key;
  };
  for (const spec of dataset.checks) {
    const definition = checkDefinition(spec.type);
    if (!definition) continue;
    const columns = new Set(definition.columns(spec));
    if (spec.where) for (const c of parseExpression(spec.where, 'row').columns) columns.add(c);
    const planned: PlannedCheck = {
      spec,
      kind: definition.kind,
      measures: {},
      columns: [...columns],
      failWhen: spec.fail_when !== undefined ? parseCondition(spec.fail_when) : undefined,
      warnWhen: spec.warn_when !== undefined ? parseCondition(spec.warn_when) : undefined,
    };
    if (definition.kind === 'row') {
      const predicate = definition.predicate(spec, ctx);
      const evaluatedNonNull = definition.evaluatesNulls ? [] : definition.columns(spec);
      planned.measures.rows = add({ kind: 'rows', predicate, evaluatedNonNull, ...(spec.where ? { where: spec.where } : {}) });
    } else {
      for (const [name, measure] of Object.entries(definition.measures(spec, ctx))) {
        if (measure.where === undefined) delete measure.where;
        planned.measures[name] = add(measure);
      }
      planned.bounds = boundsOf(spec.params as Record<string, unknown>);
      const warn = spec.params.warn as Record<string, unknown> | undefined;
      planned.warnBounds = warn ? boundsOf(warn) : undefined;
    }
    plan.checks.push(planned);
  }
  plan.columnProfile = compileColumnProfile(dataset, plan, add);
  return plan;
}

/**
 * The measures behind the report's per-column section: for every declared
 * column and every column a check names, its null count and the union of the
 * row checks on it. They join the same rollup as the checks' measures.
 */
function compileColumnProfile(dataset: DatasetSpec, plan: DatasetPlan, add: (m: Measure) => string): NonNullable<DatasetPlan['columnProfile']> {
  const rowMeasures = new Map<string, RowsMeasure[]>();
  for (const column of Object.keys(dataset.columns)) rowMeasures.set(column, []);
  for (const planned of plan.checks) {
    const named = planned.spec.columns ?? (planned.spec.column !== undefined ? [planned.spec.column] : []);
    for (const column of named) {
      const list = rowMeasures.get(column) ?? [];
      rowMeasures.set(column, list);
      if (planned.kind === 'row') list.push(plan.measures[planned.measures.rows] as RowsMeasure);
    }
  }
  const profile: NonNullable<DatasetPlan['columnProfile']> = {};
  for (const [column, measures] of rowMeasures) {
    profile[column] = { missing: add({ kind: 'null_count', column }) };
    if (measures.length > 0) profile[column].failing = add({ kind: 'rows_failing_any', measures });
  }
  return profile;
}
