import type { ColumnType, ObservedColumn, ObservedType } from '../values/types.js';
import { protectedNameKey } from '../access/decide.js';
import { defineCheck, type Verdict } from './define.js';
import { plainMessage } from './message.js';

type Level = 'fail' | 'warn' | 'allow';
const LEVEL = { enum: ['fail', 'warn', 'allow'] } as const;

/** Defaults when a key is not given: a missing or retyped column breaks readers; an extra one rarely does. */
const DEFAULTS = { extra_columns: 'warn', missing_columns: 'fail', types: 'fail' } as const;

/**
 * The data's columns against the declared ones: columns in the data but not
 * declared (`extra_columns`), declared but absent (`missing_columns`), and
 * declared types the data does not have (`types`), each `fail`, `warn` or
 * `allow`. Observed: the list of differences that are not allowed. The
 * observed type is what the loader found (src/sources/observed-types.ts); an
 * observed `integer` satisfies a declared `number`, a `date` a `timestamp`,
 * and a column with no values any type.
 */
export default defineCheck({
  type: 'schema',
  kind: 'aggregate',
  summary: 'The columns in the data match the declared ones: extra, missing, types',
  details:
    'Compares the columns the data has with those declared under `columns:`: `extra_columns` (in the data, not declared; default warn), `missing_columns` (declared, absent; default fail) and `types` (declared type vs observed type; default fail), each `fail`, `warn` or `allow`. The observed type is what the reader found: for CSV/TSV the declared type when every value parses, else the type inferred from the text; for JSON, NDJSON, Arrow and Parquet the type of the values read (an observed integer satisfies number, a date satisfies timestamp, an all-null column anything). Observed: the list of differences that are not allowed; the outcome is the worst of their levels. The dataset-level `schema:` block is this check, named `<dataset>.schema`.',
  example: { extra_columns: 'fail', missing_columns: 'fail', types: 'warn' },
  params: { extra_columns: LEVEL, missing_columns: LEVEL, types: LEVEL },
  ownThresholds: true,
  acceptsWhere: false,
  columns: () => [],
  derivedName: () => 'schema',
  measures: () => ({ found: { kind: 'columns' } }),
  observedLabel: () => 'differences from the declared columns',
  judge(values, spec, { columns }): Verdict {
    const level = (key: keyof typeof DEFAULTS): Level => spec.params[key] ?? DEFAULTS[key];
    const found = values.found as ObservedColumn[];
    const foundNames = new Set(found.map((c) => c.name));
    const differences: { text: string; level: Level }[] = [];
    // Names match exactly; a data column spelled like a missing declared one but
    // for case (or Unicode form) is reported as that, not as unrelated columns.
    const respelled = new Map<string, string>();
    for (const name of Object.keys(columns)) {
      if (foundNames.has(name)) continue;
      const variant = found.find((c) => !Object.hasOwn(columns, c.name) && !respelled.has(c.name) && protectedNameKey(c.name) === protectedNameKey(name));
      if (variant) {
        respelled.set(variant.name, name);
        differences.push({ text: `column "${variant.name}" matches declared "${name}" only by case or Unicode form (names must match exactly)`, level: level('missing_columns') });
      } else {
        differences.push({ text: `missing column "${name}"`, level: level('missing_columns') });
      }
    }
    for (const column of found) {
      const declared = Object.hasOwn(columns, column.name) ? columns[column.name] : undefined;
      if (respelled.has(column.name)) continue;
      if (!declared) {
        differences.push({ text: `extra column "${column.name}"`, level: level('extra_columns') });
      } else if (declared.type && !satisfies(column.type, declared.type)) {
        differences.push({ text: `column "${column.name}" is declared ${declared.type} but holds ${column.type}`, level: level('types') });
      }
    }
    const reported = differences.filter((d) => d.level !== 'allow');
    const allowed = differences.length - reported.length;
    const outcome = reported.some((d) => d.level === 'fail') ? 'fail' : reported.length > 0 ? 'warn' : 'pass';
    const threshold = (['missing_columns', 'extra_columns', 'types'] as const).map((k) => `${k}: ${level(k)}`).join(', ');
    const note = allowed > 0 ? ` (${allowed} allowed difference${allowed === 1 ? '' : 's'} not listed)` : '';
    const summary =
      reported.length === 0
        ? `the ${found.length} columns match the declared ones${note}`
        : `${reported.length} difference${reported.length === 1 ? '' : 's'}: ${reported.map((d) => `${d.text} (${d.level})`).join('; ')}${note}`;
    return { outcome, observed: reported.map((d) => d.text), threshold, message: plainMessage(summary) };
  },
});

/** Whether an observed type meets a declared one. */
export function satisfies(observed: ObservedType, declared: ColumnType): boolean {
  if (observed === declared || observed === 'unknown') return true;
  return (declared === 'number' && observed === 'integer') || (declared === 'timestamp' && observed === 'date');
}
