/**
 * The aggregate calls of an `aggregate` (or `reconcile`) expression as SQL
 * aggregates over the measure query's rows; the expression around them runs
 * in JavaScript afterwards, as in the arquero engine's AggregateTask.
 */
import type { Value } from '../../expr/ast.js';
import type { AggregateCall } from '../aggregate-expr.js';
import { valueSql, type ColumnLookup } from './expression.js';
import { countOf, sqlNumber, Unsupported } from './sql.js';

/**
 * One aggregate call of an `aggregate` expression, as AggregateTask computes it
 * (src/engine/tasks.ts): over the rows in scope, valid values are non-null
 * (a NaN reads as null); a statistic over no valid values is null. Calls the
 * function table keeps no mergeable state for run on the default engine.
 */
export function aggregateCall(call: AggregateCall, scope: string, lookup: ColumnLookup, flag: (c: string) => string, add: (sql: string) => number): (v: (i: number) => unknown) => Value {
  const inScope = add(`count_if(${flag(scope)})`);
  if (call.fn === 'count') return (v) => countOf(v(inScope));
  if (!call.def.mergeable) throw new Unsupported(`op.${call.fn} (no mergeable state)`);
  const arg = valueSql(call.args[0], lookup);
  const isValid = `(${arg.sql}) IS NOT NULL`;
  const valid = flag(`(${scope}) AND ${isValid}`);
  const validCount = add(`count_if(${valid})`);
  if (call.fn === 'valid') return (v) => countOf(v(validCount));
  if (call.fn === 'invalid') return (v) => countOf(v(inScope)) - countOf(v(validCount));
  if (call.fn === 'distinct') {
    const values = add(`count(DISTINCT ${arg.sql}) FILTER (WHERE ${valid})`);
    return (v) => countOf(v(values));
  }
  if (arg.kind !== 'number') throw new Unsupported(`op.${call.fn} of a ${arg.kind} value`);
  const x = arg.sql;
  const over = (f: string) => `${f} FILTER (WHERE ${valid})`;
  const atLeastTwo = (f: string) => `CASE WHEN count_if(${valid}) > 1 THEN ${over(f)} END`;
  const p = call.p ?? 0.5;
  const sql: Record<string, string | undefined> = {
    sum: over(`sum(${x})`),
    mean: over(`avg(${x})`),
    average: over(`avg(${x})`),
    min: over(`min(${x})`),
    max: over(`max(${x})`),
    any: over(`arg_min(${x}, __row)`),
    variance: atLeastTwo(`var_samp(${x})`),
    variancep: atLeastTwo(`var_pop(${x})`),
    stdev: atLeastTwo(`stddev_samp(${x})`),
    stdevp: atLeastTwo(`stddev_pop(${x})`),
    median: over(`quantile_cont(${x}, 0.5)`),
    // As NumericState.quantile: p at or beyond the ends is the minimum or maximum.
    quantile: over(p <= 0 ? `min(${x})` : p >= 1 ? `max(${x})` : `quantile_cont(${x}, ${sqlNumber(p)})`),
  };
  const expression = sql[call.fn];
  if (!expression) throw new Unsupported(`op.${call.fn}`);
  const i = add(expression);
  return (v) => {
    const value = v(i);
    return value === null || value === undefined ? null : Number(value);
  };
}
