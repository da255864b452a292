/**
 * Stage 4, compile: normalized policies → Plan. Decides everything that can
 * be decided without data: which measures each dataset needs (deduplicated
 * across checks), which columns each check reads, and its parsed thresholds.
 */
import { checkDefinition } from '../checks/index.js';
import type { CheckContext, ForeignMeasureRequest } from '../checks/define.js';
import { boundsOf, parseCondition } from '../checks/thresholds.js';
import { parseExpression } from '../expr/parse.js';
import type { DatasetSpec, PolicySet } from '../policy/types.js';
import { keySetsNeeded, measureKey, measureShowsCells, measureValueColumns, type ColumnRef, type DatasetPlan, type Measure, type Plan, type PlannedCheck, type RowsMeasure } from './plan.js';

export function compilePlan(policy: PolicySet, only?: string[]): Plan {
  const selected = only && only.length > 0 ? policy.datasets.filter((d) => only.includes(d.name)) : policy.datasets;
  const compiled = selected.map(compileWithRequests);
  const plans = new Map(compiled.map(({ plan }) => [plan.name, plan]));
  const referenced = new Map<string, DatasetPlan>();
  // Datasets that checks refer to get the measures and key sets asked of them,
  // computed in their own pass; those not checked themselves get a plan of their own.
  const planOf = (name: string): DatasetPlan | undefined => {
    const existing = plans.get(name) ?? referenced.get(name);
    if (existing) return existing;
    const spec = policy.datasets.find((d) => d.name === name);
    if (!spec) return undefined; // validation reports unknown datasets
    const plan = emptyPlan(spec);
    referenced.set(name, plan);
    return plan;
  };
  for (const { plan, requests } of compiled) {
    for (const { dataset, measure } of requests) {
      const target = planOf(dataset);
      if (target) target.measures[measureKey(measure)] ??= measure;
    }
    for (const ref of keySetsNeeded(plan)) {
      const target = planOf(ref.dataset);
      const measure: Measure = { kind: 'key_set', column: ref.column };
      if (target) target.measures[measureKey(measure)] ??= measure;
    }
  }
  return { datasets: compiled.map((c) => c.plan), referenced: [...referenced.values()].sort((a, b) => (a.name < b.name ? -1 : 1)) };
}

/** One dataset's own plan; measures other datasets need are added by compilePlan. */
export function compileDataset(dataset: DatasetSpec): DatasetPlan {
  return compileWithRequests(dataset).plan;
}

function emptyPlan(dataset: DatasetSpec): DatasetPlan {
  return { name: dataset.name, source: dataset.source, columns: dataset.columns, measures: {}, checks: [] };
}

function compileWithRequests(dataset: DatasetSpec): { plan: DatasetPlan; requests: ForeignMeasureRequest[] } {
  const plan = emptyPlan(dataset);
  const requests: ForeignMeasureRequest[] = [];
  const ctx: CheckContext = { dataset, column: (name) => dataset.columns[name] };
  const add = (measure: Measure): string => {
    if (measure.where === undefined) delete measure.where;
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
      valueSources: [],
      failWhen: spec.fail_when !== undefined ? parseCondition(spec.fail_when) : undefined,
      warnWhen: spec.warn_when !== undefined ? parseCondition(spec.warn_when) : undefined,
    };
    if (definition.kind === 'row') {
      const predicate = definition.predicate(spec, ctx);
      const evaluatedNonNull = definition.evaluatesNulls ? [] : definition.columns(spec);
      planned.measures.rows = add({ kind: 'rows', predicate, evaluatedNonNull, ...(spec.where ? { where: spec.where } : {}) });
    } else {
      for (const [name, measure] of Object.entries(definition.measures(spec, ctx))) planned.measures[name] = add(measure);
      for (const [name, request] of Object.entries(definition.foreignMeasures?.(spec, ctx) ?? {})) {
        if (request.measure.where === undefined) delete request.measure.where;
        if (request.dataset === dataset.name) {
          planned.measures[name] = add(request.measure);
        } else {
          planned.foreign = { ...planned.foreign, [name]: { dataset: request.dataset, key: measureKey(request.measure) } };
          requests.push(request);
        }
      }
      if (!definition.ownThresholds) {
        planned.bounds = boundsOf(spec.params as Record<string, unknown>);
        const warn = spec.params.warn as Record<string, unknown> | undefined;
        planned.warnBounds = warn ? boundsOf(warn) : undefined;
      }
    }
    planned.valueSources = valueSources(dataset.name, plan, planned, requests);
    plan.checks.push(planned);
  }
  plan.columnProfile = compileColumnProfile(dataset, plan, add);
  return { plan, requests };
}

/** The columns, here and in other datasets, that a check's observed value (or, for `reference`, its sampled keys) come from. */
function valueSources(dataset: string, plan: DatasetPlan, planned: PlannedCheck, requests: ForeignMeasureRequest[]): ColumnRef[] {
  const found = new Map<string, ColumnRef>();
  const add = (ref: ColumnRef) => {
    const id = JSON.stringify([ref.dataset, ref.column]);
    found.set(id, found.get(id)?.derived ? { ...ref, derived: true } : ref);
  };
  const sourceOf = (measure: Measure, at: string, column: string): ColumnRef => (measureShowsCells(measure) ? { dataset: at, column } : { dataset: at, column, derived: true });
  for (const key of Object.values(planned.measures)) {
    const measure = plan.measures[key];
    for (const column of measureValueColumns(measure)) add(sourceOf(measure, dataset, column));
    // A foreign key's values are values of the key column it references (SPEC §1.3: a reference key).
    if (measure.kind === 'rows' && measure.predicate.op === 'not_in_key_set') add(measure.predicate.keys);
  }
  for (const { dataset: other, key } of Object.values(planned.foreign ?? {})) {
    const measure = requests.find((r) => r.dataset === other && measureKey(r.measure) === key)?.measure;
    if (measure) for (const column of measureValueColumns(measure)) add(sourceOf(measure, other, column));
  }
  return [...found.values()];
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
