import type { ColumnType } from '../values/types.js';
import { suggest } from '../util/did-you-mean.js';
import { COLUMN_PARAM, defineCheck, type ParamProblem } from './define.js';

/**
 * Referential integrity: every non-null value must occur in another dataset's
 * key column (a foreign key). The plan names the key set; the pipeline loads
 * the referenced dataset once per run, however many checks read it, and an
 * unreadable one makes only these checks `error`.
 */
export default defineCheck({
  type: 'reference',
  kind: 'row',
  summary: "The value exists in another dataset's key column (`references: dataset.column`)",
  details:
    'A foreign key: every non-null value must occur among the non-null values of `dataset`\'s `key` column (nulls are not evaluated; use `not_null` for them). Values compare by type: integer and number columns match numerically, dates by instant. The referenced dataset is read once per run however many checks use it, in the same read as its own checks; `--data NAME=PATH` replaces it too. If it cannot be read, these checks end `error` (and the run exits 3); the other checks run.',
  example: { column: 'customer_id', dataset: 'customers', key: 'customer_id' },
  params: {
    column: COLUMN_PARAM,
    dataset: { type: 'string', pattern: '^[a-z0-9_.-]+$', description: 'the referenced dataset' },
    key: { type: 'string', minLength: 1, description: "the referenced dataset's key column" },
  },
  required: ['column', 'dataset', 'key'],
  validate(params, ctx) {
    if (!ctx.datasets) return [];
    const name = params.dataset;
    const key = params.key;
    const target = ctx.datasets.find((d) => d.name === name);
    if (!target) {
      return [{ key: 'dataset', code: 'unknown-dataset', message: `unknown dataset "${name}"`, expected: suggest(name, ctx.datasets.map((d) => d.name)) }];
    }
    const declared = Object.keys(target.columns);
    if (declared.length > 0 && !target.columns[key]) {
      return [{ key: 'key', code: 'unknown-column', message: `unknown column "${key}" in dataset "${name}"`, expected: suggest(key, declared) }];
    }
    const problems: ParamProblem[] = [];
    const mine = ctx.column(params.column)?.type;
    const theirs = target.columns[key]?.type;
    if (mine && theirs && family(mine) !== family(theirs)) {
      problems.push({ key: 'key', code: 'type-mismatch', message: `"${String(params.column)}" is ${mine} but ${name}.${key} is ${theirs}; their values can never match` });
    }
    return problems;
  },
  columns: (spec) => [spec.params.column],
  predicate: (spec) => ({ op: 'not_in_key_set', column: spec.params.column, keys: { dataset: spec.params.dataset, column: spec.params.key } }),
  failureText: (spec) => `are not in ${String(spec.params.dataset)}.${String(spec.params.key)}`,
});

/** Types whose values can equal each other: integer and number are both numbers, dates compare as instants. */
function family(type: ColumnType): string {
  if (type === 'integer' || type === 'number') return 'number';
  if (type === 'date' || type === 'timestamp') return 'time';
  return type;
}
