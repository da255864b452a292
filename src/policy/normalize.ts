/**
 * Stage 3, normalize: a schema-valid dataset document becomes a DatasetSpec.
 * Column shorthands (`required`, `unique`, `values`, `min`/`max`, `length`,
 * `pattern`, `format`, `references`, `type`) expand into checks, common
 * options get their defaults, and every check gets its stable name and id.
 */
import { checkDefinition } from '../checks/index.js';
import type { ColumnType } from '../values/types.js';
import { isDateFormat } from '../values/date-format.js';
import type { RawDocument } from './load.js';
import type { CheckSpec, ColumnSpec, DatasetSpec } from './types.js';

/** Keys of a check entry that are common options, not the check's own params. */
const COMMON_KEYS = new Set(['name', 'severity', 'where', 'mostly', 'fail_when', 'warn_when', 'samples', 'controls', 'description']);

export const DEFAULT_SAMPLES = 5;

type Doc = Record<string, any>;

export function normalizeDataset(doc: RawDocument): DatasetSpec {
  const value = doc.value as Doc;
  const columns: Record<string, ColumnSpec> = {};
  for (const [name, raw] of Object.entries((value.columns ?? {}) as Record<string, Doc>)) {
    const col: ColumnSpec = { ...(raw ?? {}) };
    if (typeof col.classification === 'string') col.classification = [col.classification];
    if (col.format !== undefined && isDateFormat(col.format)) {
      col.dateFormat = col.format;
      delete col.format;
    }
    columns[name] = col;
  }
  const dataset: DatasetSpec = {
    name: value.name,
    description: value.description,
    owner: value.owner,
    tags: value.tags ?? [],
    upstream: value.upstream ?? [],
    key: typeof value.key === 'string' ? [value.key] : (value.key ?? []),
    source: value.source,
    columns,
    schema: value.schema,
    freshness: value.freshness,
    controls: value.controls ?? [],
    checks: [],
    file: doc.file,
    docIndex: doc.index,
    location: doc.locate(['name']),
  };
  // An explicit `type` check (say, with `mostly` or severity warn) takes the
  // place of the one the column's `type` declares, instead of clashing with it.
  const explicitType = new Set(((value.checks ?? []) as Doc[]).filter((e) => e && Object.keys(e)[0] === 'type').map((e) => e.type?.column));
  for (const [column, spec] of Object.entries(columns)) {
    for (const [type, params, key] of shorthandChecks(column, spec)) {
      if (type === 'type' && explicitType.has(column)) continue;
      dataset.checks.push(makeCheck(dataset, doc, type, { column, ...params }, ['columns', column, key]));
    }
  }
  // The dataset-level blocks are checks too, named after the block: `orders.schema`, `orders.freshness`.
  if (value.schema) dataset.checks.push(makeCheck(dataset, doc, 'schema', { ...value.schema, name: 'schema' }, ['schema']));
  if (value.freshness) dataset.checks.push(makeCheck(dataset, doc, 'freshness', { ...value.freshness, name: 'freshness' }, ['freshness']));
  ((value.checks ?? []) as (Doc | null)[]).forEach((entry, i) => {
    if (entry === null) return; // a check the schema rejected (validate.ts reports it)
    const type = Object.keys(entry)[0];
    dataset.checks.push(makeCheck(dataset, doc, type, entry[type] ?? {}, ['checks', i, type]));
  });
  return dataset;
}

/** [check type, params, column property that declared it] for one column. */
function shorthandChecks(column: string, spec: ColumnSpec): [string, Record<string, unknown>, string][] {
  const out: [string, Record<string, unknown>, string][] = [];
  if (spec.type) out.push(['type', { type: spec.type as ColumnType }, 'type']);
  if (spec.required) out.push(['not_null', {}, 'required']);
  if (spec.unique) out.push(['unique', {}, 'unique']);
  if (spec.values) out.push(['accepted_values', { values: spec.values }, 'values']);
  if (spec.min !== undefined || spec.max !== undefined) {
    const bounds: Record<string, unknown> = {};
    if (spec.min !== undefined) bounds.min = spec.min;
    if (spec.max !== undefined) bounds.max = spec.max;
    out.push(['range', bounds, spec.min !== undefined ? 'min' : 'max']);
  }
  if (spec.length) out.push(['length', { ...spec.length }, 'length']);
  if (spec.pattern) out.push(['pattern', { regex: spec.pattern }, 'pattern']);
  if (spec.format) out.push(['format', { format: spec.format }, 'format']);
  if (spec.references) {
    const dot = spec.references.lastIndexOf('.');
    out.push(['reference', { dataset: spec.references.slice(0, dot), key: spec.references.slice(dot + 1) }, 'references']);
  }
  return out;
}

function makeCheck(dataset: DatasetSpec, doc: RawDocument, type: string, entry: Doc, path: (string | number)[]): CheckSpec {
  const params: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(entry)) if (!COMMON_KEYS.has(k) && k !== 'column' && k !== 'columns') params[k] = v;
  const spec: CheckSpec = {
    id: '',
    name: entry.name ?? '',
    type,
    dataset: dataset.name,
    column: entry.column,
    columns: entry.columns,
    params: { ...params, ...(entry.column !== undefined ? { column: entry.column } : {}), ...(entry.columns ? { columns: entry.columns } : {}) },
    severity: entry.severity ?? 'error',
    where: entry.where,
    mostly: entry.mostly,
    fail_when: entry.fail_when,
    warn_when: entry.warn_when,
    samples: entry.samples ?? DEFAULT_SAMPLES,
    controls: [...new Set([...(entry.controls ?? []), ...dataset.controls])],
    description: entry.description,
    location: doc.locate(path, path[0] === 'columns'),
    path,
    docIndex: doc.index,
  };
  for (const key of Object.keys(spec) as (keyof CheckSpec)[]) if (spec[key] === undefined) delete spec[key];
  if (!spec.name) spec.name = deriveName(spec);
  spec.id = `${dataset.name}.${spec.name}`;
  return spec;
}

/** `email.format`, `customer_id+created_at.unique`, `row_count`, `amount.mean`. */
export function deriveName(spec: CheckSpec): string {
  const definition = checkDefinition(spec.type);
  const suffix = definition?.derivedName?.(spec) ?? spec.type;
  const subject = spec.columns ? spec.columns.join('+') : spec.column;
  return subject ? `${subject}.${suffix}` : suffix;
}
