/**
 * The aggregate calls of an `aggregate` (or `reconcile`) expression as SQL
 * aggregates over the measure query's rows; the expression around them runs
 * in JavaScript afterwards, as in the arquero engine's AggregateTask.
 */
import type { Value } from '../../expr/ast.js';
import type { AggregateCall } from '../aggregate-expr.js';
import { valueSql, type SqlScope } from './expression.js';
import { countOf, Unsupported } from './sql.js';

/**
 * One aggregate call of an `aggregate` expression, as AggregateTask computes it
 * (src/engine/in-process/tasks.ts): over the rows in scope, valid values are non-null
 * (a NaN reads as null); a statistic over no valid values is null. Calls the
 * function table keeps no mergeable state for run on the default engine.
 */
export function aggregateCall(call: AggregateCall, scope: string, lookup: SqlScope, flag: (c: string) => string, add: (sql: string) => number): (v: (i: number) => unknown) => Value {
  const { sql: dialect } = lookup;
  const inScope = add(dialect.countIf(flag(scope)));
  if (call.fn === 'count') return (v) => countOf(v(inScope));
  if (!call.def.mergeable) throw new Unsupported(`op.${call.fn} (no mergeable state)`);
  const arg = valueSql(call.args[0], lookup);
  const isValid = `(${arg.sql}) IS NOT NULL`;
  const valid = flag(`(${scope}) AND ${isValid}`);
  const validCount = add(dialect.countIf(valid));
  if (call.fn === 'valid') return (v) => countOf(v(validCount));
  if (call.fn === 'invalid') return (v) => countOf(v(inScope)) - countOf(v(validCount));
  if (call.fn === 'distinct') {
    const values = add(`count(DISTINCT ${arg.sql}) FILTER (WHERE ${valid})`);
    return (v) => countOf(v(values));
  }
  if (arg.kind !== 'number') throw new Unsupported(`op.${call.fn} of a ${arg.kind} value`);
  const x = arg.sql;
  const over = (f: string) => `${f} FILTER (WHERE ${valid})`;
  const atLeastTwo = (f: Parameters<typeof dialect.statistic>[0]) => `CASE WHEN ${dialect.countIf(valid)} > 1 THEN ${over(dialect.statistic(f, x))} END`;
  const p = call.p ?? 0.5;
  const quantile = (q: number) => (q <= 0 ? over(`min(${x})`) : q >= 1 ? over(`max(${x})`) : dialect.quantile(x, q, valid));
  const sql: Record<string, string | undefined> = {
    sum: over(`sum(${x})`),
    mean: over(`avg(${x})`),
    average: over(`avg(${x})`),
    min: over(`min(${x})`),
    max: over(`max(${x})`),
    any: dialect.firstValue?.(x, '__row', valid),
    variance: atLeastTwo('var_samp'),
    variancep: atLeastTwo('var_pop'),
    stdev: atLeastTwo('stddev_samp'),
    stdevp: atLeastTwo('stddev_pop'),
    median: dialect.quantile(x, 0.5, valid),
    // As NumericState.quantile: p at or beyond the ends is the minimum or maximum.
    quantile: quantile(p),
  };

  const expression = sql[call.fn];
  if (!expression) throw new Unsupported(`op.${call.fn}`);
  const i = add(expression);
  return (v) => {
    const value = v(i);
    return value === null || value === undefined ? null : Number(value);
  };
}
