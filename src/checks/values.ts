/**
 * Literal values in a check's parameters (`values: [...]`), read as the
 * column's declared type so they compare with the typed data: `"2024-01-01"`
 * matches a date column's values, `1` matches a string column's `"1"`.
 */
import type { ColumnType, Scalar } from '../values/types.js';
import { INVALID, PARSERS } from '../values/grammar.js';
import type { CheckContext, ParamProblem } from './define.js';

/** The values as the column's type; a value that does not parse is kept as written. */
export function valuesAsType(values: readonly Scalar[], type: ColumnType | undefined): Scalar[] {
  if (!type) return [...values];
  return values.map((v) => {
    const parsed = PARSERS[type](type === 'string' && v !== null ? String(v) : v);
    return parsed === INVALID ? v : parsed;
  });
}

/** A value that can never equal a value of the declared column type is a mistake in the policy. */
export function valueProblems(params: { column: string; values: readonly Scalar[] }, ctx: CheckContext): ParamProblem[] {
  const type = ctx.column(params.column)?.type;
  if (!type || type === 'string') return [];
  const bad = params.values.filter((v) => PARSERS[type](v) === INVALID);
  if (bad.length === 0) return [];
  const shown = bad.map((v) => JSON.stringify(v)).join(', ');
  return [{ key: 'values', code: 'invalid-value', message: `${shown} ${bad.length === 1 ? 'is' : 'are'} not ${type === 'integer' ? 'an' : 'a'} ${type}; column "${params.column}" is declared as ${type}` }];
}
