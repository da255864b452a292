/**
 * The allow-list of the expression language. Expressions come from policy
 * files anyone can edit in a pull request, so everything not listed here is
 * rejected before arquero ever sees the text.
 */
import { ARQUERO_FUNCTIONS } from './arquero-functions.js';

/** Where an expression is used decides which functions it may call. */
export type ExpressionContext =
  /** `where`, `expression.row`: evaluated per row, no aggregates. */
  | 'row'
  /** `aggregate.expr`, `reconcile.metric`: aggregate functions allowed. */
  | 'aggregate'
  /** access `row_filter.filter`: per row, plus `principal.attributes.*`. */
  | 'filter';

/** Property names that reach JavaScript internals. */
export const FORBIDDEN_NAMES = new Set(['constructor', '__proto__', 'prototype', '__defineGetter__', '__defineSetter__', '__lookupGetter__', '__lookupSetter__']);

/**
 * arquero functions that are refused although arquero offers them: `match`
 * compiles its argument to a backtracking RegExp (use a `pattern` check, which
 * runs in linear time), and the others can allocate without bound.
 */
export const REFUSED_FUNCTIONS: Record<string, string> = {
  match: 'regexes in expressions are not allowed; use a pattern check',
  repeat: 'it can allocate without bound',
  padstart: 'it can allocate without bound',
  padend: 'it can allocate without bound',
  sequence: 'it can allocate without bound',
};

const AGGREGATE_NAMES = new Set([
  'count', 'array_agg', 'object_agg', 'map_agg', 'entries_agg', 'any', 'valid', 'invalid', 'distinct', 'array_agg_distinct',
  'mode', 'sum', 'product', 'mean', 'average', 'variance', 'variancep', 'stdev', 'stdevp', 'min', 'max', 'quantile',
  'median', 'covariance', 'covariancep', 'corr', 'bins',
]);
const WINDOW_NAMES = new Set([
  'row_number', 'rank', 'avg_rank', 'dense_rank', 'percent_rank', 'cume_dist', 'ntile', 'lag', 'lead', 'first_value',
  'last_value', 'nth_value', 'fill_down', 'fill_up',
]);

/** Is `op.<name>` callable in this context? Returns a reason when not. */
export function functionRefusal(name: string, context: ExpressionContext): string | undefined {
  if (FORBIDDEN_NAMES.has(name) || !ARQUERO_FUNCTIONS.has(name) || name.startsWith('assay_')) {
    return `"op.${name}" is not an arquero function`;
  }
  if (Object.hasOwn(REFUSED_FUNCTIONS, name)) return `"op.${name}" is not allowed: ${REFUSED_FUNCTIONS[name]}`;
  if (WINDOW_NAMES.has(name)) return `"op.${name}" is a window function; window functions are not allowed in checks`;
  if (AGGREGATE_NAMES.has(name) && context !== 'aggregate') {
    return `"op.${name}" is an aggregate function; use it in an aggregate check, not a row expression`;
  }
  return undefined;
}

export const isAggregateFunction = (name: string): boolean => AGGREGATE_NAMES.has(name);
