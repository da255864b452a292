/**
 * `aggregate.expr` over batches: an aggregate expression such as
 * `op.sum(d.amount) / op.count()` is split, over its syntax tree, into its
 * aggregate calls and an outer expression over their results (each call
 * replaced by a `param` node), evaluated once at the end. Calls with a
 * mergeable state (count, sum, mean, …) fold batch by batch; the others
 * (mode, corr, array_agg, …) keep their argument values and run the
 * function table's own implementation once at the end. The parser refuses an
 * aggregate inside another, so every call's arguments are row expressions.
 */
import type { Expr } from '../expr/ast.js';
import { mapExpr } from '../expr/ast.js';
import { FUNCTIONS, type AggregateFunction } from '../expr/functions.js';

export interface AggregateCall {
  fn: string;
  def: AggregateFunction;
  /** The row expressions aggregated (none for `op.count()`); literal params such as quantile's p are in `p`. */
  args: Expr[];
  /** `op.quantile(x, p)`: the probability. */
  p?: number;
  /** The call as it was written, for messages. */
  call: Expr;
}

export interface DecomposedAggregate {
  /** The expression with each call replaced by `{ type: 'param', index }`. */
  outer: Expr;
  calls: AggregateCall[];
}

/** Split a validated aggregate expression tree. */
export function decomposeAggregate(expr: Expr): DecomposedAggregate {
  const calls: AggregateCall[] = [];
  const outer = mapExpr(expr, (node) => {
    if (node.type !== 'call') return undefined;
    const def = FUNCTIONS.get(node.fn);
    if (def?.kind !== 'aggregate') return undefined;
    const literal = new Set(def.literal ?? []);
    const p = def.literal?.length ? (node.args[def.literal[0]] as Extract<Expr, { type: 'literal' }>).value : undefined;
    calls.push({ fn: node.fn, def, args: node.args.filter((_, i) => !literal.has(i)), p: typeof p === 'number' ? p : undefined, call: node });
    return { type: 'param', index: calls.length - 1 };
  });
  return { outer, calls };
}
